// This computer as a device, so a user without a phone or board can calibrate the machine
// in front of them. Commands run under `sh -c` in their own process group so a timeout or
// cancel kills the whole command, children included.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { DeviceIdentity, DeviceTransport, ExecOptions, ExecResult, TransferProgress } from './device-transport.ts';
import { CommandAbortedError, CommandTimeoutError, DeviceTransportError, TransferError } from './errors.ts';
import { copyWithProgress } from './copy-with-progress.ts';
import { parseLinuxIdentity } from './linux-identity.ts';
import { randomBytes } from 'node:crypto';
import { CGROUP_CPU_ROOT, createCpuLimit } from './cpu-limit.ts';
import { DEVICE_BACKEND_ENV } from '../engine/device-backend-env.ts';
import type { CpuLimit } from './cpu-limit.ts';

export const LOCAL_DEVICE_ID = 'local';

/**
 * `local:js`: this computer with its device hosts on TF.js's plain JavaScript backend
 * (EDGETREE_DEVICE_BACKEND=cpu, about 30x slower than WASM here): a stand-in for a phone
 * whose slowness holds for every layer, however short (a CPU quota lets a burst shorter
 * than its 1 ms minimum slice run at full speed, and a median of repeats never sees the
 * throttling).
 */
export const LOCAL_JS_DEVICE_ID = 'local:js';

/**
 * `local:<cpus>`: this computer with every command it runs held to a cgroup v1 CPU quota
 * (e.g. local:0.5), a stand-in for a device slower than the cloud on one machine: calibrate,
 * deploy, run and field-test it under the same limit.
 */
export function parseLocalDeviceId(id: string): { cpus: number | null; js?: true } | null {
  if (id === LOCAL_DEVICE_ID) return { cpus: null };
  if (id === LOCAL_JS_DEVICE_ID) return { cpus: null, js: true };
  const m = /^local:(\d+(?:\.\d+)?)$/.exec(id);
  if (m === null) return null;
  const cpus = Number(m[1]);
  return cpus >= 0.05 && cpus <= 64 ? { cpus } : null;
}

async function readOr(path: string, fallback: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return fallback;
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export class LocalTransport implements DeviceTransport {
  readonly id: string;
  private closed = false;
  private readonly limit: CpuLimit | null;

  private readonly env: NodeJS.ProcessEnv | undefined;

  /**
   * `cpus`: hold every command to this share of one CPU (cgroup v1); a DeviceTransportError where the hierarchy is missing.
   * `js`: the device hosts run TF.js's JavaScript backend (local:js).
   */
  constructor(opts: { cpus?: number; js?: boolean } = {}) {
    this.env = opts.js === true ? { ...process.env, [DEVICE_BACKEND_ENV]: 'cpu' } : undefined;
    if (opts.cpus === undefined) {
      this.id = opts.js === true ? LOCAL_JS_DEVICE_ID : LOCAL_DEVICE_ID;
      this.limit = null;
      return;
    }
    this.id = `local:${opts.cpus}`;
    this.limit = createCpuLimit(`edgetree-local-${process.pid}-${randomBytes(3).toString('hex')}`, opts.cpus);
    if (this.limit === null) throw new DeviceTransportError(this.id, `device ${this.id}: no CPU quota can be set here (the cgroup v1 cpu hierarchy ${CGROUP_CPU_ROOT} is missing or not writable)`);
  }

  /** How the commands are held back, or null. */
  describeLimit(): string | null {
    return this.limit?.describe() ?? null;
  }

  async identify(): Promise<DeviceIdentity> {
    const linux = parseLinuxIdentity({
      uname: `${os.type()} ${os.release()} ${os.machine()}`,
      cpuinfo: await readOr('/proc/cpuinfo', ''),
      meminfo: `MemTotal: ${Math.round(os.totalmem() / 1024)} kB`,
      deviceTreeModel: await readOr('/proc/device-tree/model', ''),
      hostname: os.hostname(),
      nproc: String(os.availableParallelism()),
    });
    const cpu = os.cpus()[0]?.model;
    return { id: this.id, transport: 'local', ...linux, cpu: cpu && cpu !== 'unknown' ? cpu : linux.cpu };
  }

  exec(command: string, opts: ExecOptions): Promise<ExecResult> {
    this.assertOpen();
    if (opts.signal?.aborted) return Promise.reject(new CommandAbortedError(this.id, command));
    return new Promise((resolve, reject) => {
      // Under a quota the shell joins the cgroup first, then becomes the command (same pid, children follow).
      const argv = this.limit === null ? ['-c', command] : ['-c', 'echo $$ > "$0" && exec sh -c "$1"', this.limit.procsFile, command];
      const child = spawn('sh', argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...(this.env !== undefined && { env: this.env }) });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let failure: Error | undefined;
      const stop = (why: Error): void => {
        failure ??= why;
        killGroup(child.pid);
      };
      const timer = setTimeout(() => stop(new CommandTimeoutError(this.id, command, opts.timeoutMs)), opts.timeoutMs);
      const onAbort = (): void => stop(new CommandAbortedError(this.id, command));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', (e) => {
        failure ??= new DeviceTransportError(this.id, `device ${this.id}: cannot start "${command}": ${e.message}`, { cause: e });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (failure) return reject(failure);
        // A command killed by a signal reports 128+n, as shells do.
        const exitCode = code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1);
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode });
      });
    });
  }

  async push(localPath: string, remotePath: string, onProgress?: TransferProgress): Promise<void> {
    this.assertOpen();
    try {
      await copyWithProgress(localPath, remotePath, onProgress);
    } catch (e) {
      throw new TransferError(this.id, 'push', localPath, remotePath, (e as Error).message, { cause: e });
    }
  }

  async pull(remotePath: string, localPath: string, onProgress?: TransferProgress): Promise<void> {
    this.assertOpen();
    try {
      await copyWithProgress(remotePath, localPath, onProgress);
    } catch (e) {
      throw new TransferError(this.id, 'pull', localPath, remotePath, (e as Error).message, { cause: e });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.limit?.remove();
  }

  private assertOpen(): void {
    if (this.closed) throw new DeviceTransportError(this.id, `device ${this.id}: the transport was closed`);
  }
}
