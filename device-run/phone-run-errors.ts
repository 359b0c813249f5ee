/** Why a run in a phone's browser could not start or stopped early (beside device-run-errors.ts). */
import type { RuntimeLine } from '../runtime/core/runtime-line.ts';
import { DeviceRunError } from './device-run-errors.ts';

/**
 * The phone's browser is served from the studio's own copy of the deployed bundle, found by
 * the SHA-256 of its manifest; this studio has none (deployed from elsewhere, or deleted).
 */
export class BundleCopyMissingError extends DeviceRunError {
  readonly manifestSha256: string;
  constructor(deviceId: string, remoteBundle: string, manifestSha256: string, searched: readonly string[]) {
    super(deviceId, `the bundle deployed on ${deviceId} at ${remoteBundle} (manifest sha256 ${manifestSha256}) has no copy in this studio `
      + `(looked in ${searched.length === 0 ? 'no folder' : searched.join(', ')}): package and deploy it from here, or name the folder it was deployed from`, []);
    this.name = 'BundleCopyMissingError';
    this.manifestSha256 = manifestSha256;
  }
}

/** The phone left the adb server's list (or went offline) while its browser was running the bundle. */
export class PhoneRunDroppedError extends DeviceRunError {
  /** What adb reported instead of `device`. */
  readonly state: string;
  constructor(deviceId: string, state: string, lines: RuntimeLine[]) {
    const n = lines.filter((l) => l.type === 'inference').length;
    super(deviceId, `the phone dropped after ${n} inference line(s) (adb now reports it ${state}); the ${n} timeline(s) received are kept`, lines);
    this.name = 'PhoneRunDroppedError';
    this.state = state;
  }
}
