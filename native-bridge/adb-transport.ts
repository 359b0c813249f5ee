// An Android device through the real adb server (adbkit client). Commands go through the
// legacy `shell:` service wrapped to recover stderr and the exit status; files go one at a
// time over `sync:`, and push resolves only when the device has acknowledged the file.
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Duplex } from 'node:stream';
import type { Client, DeviceClient } from '@devicefarmer/adbkit';
import type { DeviceIdentity, DeviceTransport, ExecOptions, ExecResult, TransferProgress } from './device-transport.ts';
import { CommandAbortedError, CommandTimeoutError, DeviceOfflineError, DeviceTransportError, TransferError } from './errors.ts';
import { parseAdbOutput, wrapAdbCommand } from './adb-exec-output.ts';
import { parseLinuxIdentity } from './linux-identity.ts';

export function adbDeviceId(serial: string): string {
  return `adb:${serial}`;
}

const SPLIT = '__EDGETREE_SPLIT__';
/** Where the wrapper keeps a command's stderr; writable by the shell user on every Android. */
const STDERR_DIR = '/data/local/tmp';

export class AdbTransport implements DeviceTransport {
  readonly id: string;
  readonly serial: string;
  private readonly device: DeviceClient;
  private readonly stateOf: () => Promise<string | undefined>;
  private closed = false;

  /** Use AdbDevices.open(serial), which checks the device is ready first. */
  constructor(client: Client, serial: string, stateOf: () => Promise<string | undefined>) {
    this.serial = serial;
    this.id = adbDeviceId(serial);
    this.device = client.getDevice(serial);
    this.stateOf = stateOf;
  }

  async identify(): Promise<DeviceIdentity> {
    const parts = [
      'getprop ro.product.model', 'getprop ro.build.version.release', 'getprop ro.product.cpu.abi',
      'nproc 2>/dev/null', 'cat /proc/cpuinfo', 'cat /proc/meminfo',
    ];
    const r = await this.exec(parts.map((c) => `${c}; echo ${SPLIT}`).join('; '), { timeoutMs: 15_000 });
    const [model = '', release = '', abi = '', nproc = '', cpuinfo = '', meminfo = ''] = r.stdout.replace(/\r\n/g, '\n').split(`${SPLIT}\n`);
    const linux = parseLinuxIdentity({ uname: '', nproc, cpuinfo, meminfo, deviceTreeModel: '', hostname: '' });
    return {
      ...linux,
      id: this.id,
      transport: 'adb',
      model: model.trim() || this.serial,
      os: `Android ${release.trim()}`.trim(),
      cpu: linux.cpu === 'unknown' ? abi.trim() || 'unknown' : linux.cpu,
      abi: abi.trim() || 'unknown',
    };
  }

  async exec(command: string, opts: ExecOptions): Promise<ExecResult> {
    this.assertOpen();
    if (opts.signal?.aborted) throw new CommandAbortedError(this.id, command);
    const stderrFile = `${STDERR_DIR}/.edgetree-stderr-${randomBytes(6).toString('hex')}`;
    let stream: Duplex;
    try {
      stream = await this.device.shell(wrapAdbCommand(command, stderrFile));
    } catch (e) {
      throw await this.lostDevice(`cannot start "${command}": ${(e as Error).message}`, e);
    }
    const chunks: Buffer[] = [];
    let failure: Error | undefined;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const ended = new Promise<void>((resolve) => {
      const stop = (why: Error): void => {
        if (failure) return;
        failure = why;
        const pid = parseAdbOutput(Buffer.concat(chunks).toString('utf8')).pid;
        // Closing the stream makes adbd hang up the shell; killing the process group also
        // stops anything the command started in the background.
        stream.destroy();
        if (pid) void this.killGroup(pid);
        resolve();
      };
      timer = setTimeout(() => stop(new CommandTimeoutError(this.id, command, opts.timeoutMs)), opts.timeoutMs);
      onAbort = () => stop(new CommandAbortedError(this.id, command));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', () => resolve());
    });
    await ended;
    clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    if (failure) throw failure;
    const parsed = parseAdbOutput(Buffer.concat(chunks).toString('utf8'));
    if (parsed.exitCode === undefined) {
      throw await this.lostDevice(`the connection dropped while "${command}" was running`);
    }
    return { stdout: parsed.stdout, stderr: parsed.stderr, exitCode: parsed.exitCode };
  }

  async push(localPath: string, remotePath: string, onProgress?: TransferProgress): Promise<void> {
    this.assertOpen();
    let size: number;
    let mode: number;
    try {
      const st = await stat(localPath);
      size = st.size;
      mode = st.mode & 0o777; // an executable benchmark stays executable on the device
    } catch (e) {
      throw new TransferError(this.id, 'push', localPath, remotePath, (e as Error).message, { cause: e });
    }
    try {
      const transfer = await this.device.push(localPath, remotePath, mode);
      await new Promise<void>((resolve, reject) => {
        transfer.on('progress', (s: { bytesTransferred: number }) => onProgress?.(s.bytesTransferred, size));
        // `end` comes after the device's OKAY for DONE: the file is complete there.
        transfer.on('end', () => resolve());
        transfer.on('error', (e: Error) => reject(e));
      });
      if (size === 0) onProgress?.(0, 0);
    } catch (e) {
      throw await this.transferFailure('push', localPath, remotePath, e);
    }
  }

  async pull(remotePath: string, localPath: string, onProgress?: TransferProgress): Promise<void> {
    this.assertOpen();
    let size: number;
    try {
      size = Number((await this.device.stat(remotePath)).size);
    } catch (e) {
      throw await this.transferFailure('pull', localPath, remotePath, e);
    }
    try {
      await mkdir(dirname(localPath), { recursive: true });
      const transfer = await this.device.pull(remotePath);
      transfer.on('progress', (s: { bytesTransferred: number }) => onProgress?.(s.bytesTransferred, size));
      await pipeline(transfer, createWriteStream(localPath));
      if (size === 0) onProgress?.(0, 0);
    } catch (e) {
      throw await this.transferFailure('pull', localPath, remotePath, e);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async killGroup(pid: number): Promise<void> {
    try {
      const s = await this.device.shell(`kill -9 -${pid} 2>/dev/null || kill -9 ${pid} 2>/dev/null`);
      s.resume();
      const t = setTimeout(() => s.destroy(), 3000);
      s.on('close', () => clearTimeout(t));
    } catch {
      // The device is gone; nothing left to kill from here.
    }
  }

  private async lostDevice(detail: string, cause?: unknown): Promise<DeviceTransportError> {
    const state = await this.stateOf();
    if (state === 'device' || state === 'emulator') {
      return new DeviceTransportError(this.id, `device ${this.id}: ${detail}`, { cause });
    }
    return new DeviceOfflineError(this.id, `${detail} (adb now reports it as ${state ?? 'disconnected'})`, { cause });
  }

  private async transferFailure(direction: 'push' | 'pull', localPath: string, remotePath: string, e: unknown): Promise<Error> {
    const state = await this.stateOf();
    const where = state === 'device' || state === 'emulator' ? '' : ` (adb now reports the device as ${state ?? 'disconnected'})`;
    return new TransferError(this.id, direction, localPath, remotePath, `${(e as Error).message}${where}`, { cause: e });
  }

  private assertOpen(): void {
    if (this.closed) throw new DeviceTransportError(this.id, `device ${this.id}: the transport was closed`);
  }
}
