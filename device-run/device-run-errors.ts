/** Why a run on a device stopped early; each keeps the timeline lines received before it stopped. */
import type { RuntimeLine } from '../runtime/core/runtime-line.ts';

export class DeviceRunError extends Error {
  readonly deviceId: string;
  /** Lines received from the device before the run stopped. */
  readonly lines: RuntimeLine[];
  constructor(deviceId: string, message: string, lines: RuntimeLine[], options?: { cause?: unknown }) {
    super(`run on ${deviceId}: ${message}`, options);
    this.name = 'DeviceRunError';
    this.deviceId = deviceId;
    this.lines = lines;
  }
}

/** The device (or the connection to it) went away mid-run. */
export class DeviceRunDroppedError extends DeviceRunError {
  /** The run folder on the device: the host may still be writing out.jsonl there. */
  readonly remoteDir: string;
  constructor(deviceId: string, detail: string, lines: RuntimeLine[], remoteDir: string, options?: { cause?: unknown }) {
    super(deviceId, `the device dropped after ${lines.filter((l) => l.type === 'inference').length} inference line(s): ${detail} (the host's output stays in ${remoteDir} on the device)`, lines, options);
    this.name = 'DeviceRunDroppedError';
    this.remoteDir = remoteDir;
  }
}

/** The runtime host on the device exited with an error. */
export class DeviceRunFailedError extends DeviceRunError {
  readonly exitCode: number;
  constructor(deviceId: string, exitCode: number, stderr: string, lines: RuntimeLine[]) {
    super(deviceId, `the runtime host exited ${exitCode}: ${stderr.trim().slice(-600) || '(no message)'}`, lines);
    this.name = 'DeviceRunFailedError';
    this.exitCode = exitCode;
  }
}

/** The deployed bundle cannot be run (no manifest, or no Node host in it). */
export class DeviceBundleError extends DeviceRunError {
  constructor(deviceId: string, bundle: string, problem: string) {
    super(deviceId, `bundle ${bundle}: ${problem}`, []);
    this.name = 'DeviceBundleError';
  }
}
