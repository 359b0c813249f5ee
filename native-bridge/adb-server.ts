// Reaches the real `adb` server (Debian's `adb` package on this computer) through adbkit,
// starting it when it is not running, as `adb start-server` would.
import { spawn } from 'node:child_process';
import adbkit from '@devicefarmer/adbkit';
import type { Client } from '@devicefarmer/adbkit';
import { DeviceUnreachableError } from './errors.ts';

export interface AdbServerOptions {
  /** adb server port (default 5037, adb's own default). */
  port?: number;
  /** Path of the adb binary (default `adb` on PATH). */
  adbPath?: string;
}

export const ADB_SERVER_ID = 'adb-server';

// Waits for `exit`, not `close`: `adb start-server` forks the server, which inherits the
// pipes and would keep them open for as long as it runs.
function run(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      child.stderr.destroy();
      if (code === 0) resolve();
      else reject(Object.assign(new Error(`exited with ${code ?? signal}`), { stderr }));
    });
  });
}

/** Starts the adb server if needed and returns a client for it. */
export async function openAdbServer(opts: AdbServerOptions = {}): Promise<{ client: Client; port: number; adbPath: string }> {
  const port = opts.port ?? 5037;
  const adbPath = opts.adbPath ?? 'adb';
  try {
    await run(adbPath, ['-P', String(port), 'start-server']);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const why = err.code === 'ENOENT' ? `the adb program "${adbPath}" is not installed (Debian: apt-get install adb)` : `"${adbPath} start-server" failed: ${err.stderr?.trim() || err.message}`;
    throw new DeviceUnreachableError(`${ADB_SERVER_ID}:${port}`, why, { cause: e });
  }
  return { client: new adbkit.Client({ port, bin: adbPath }), port, adbPath };
}

/** Stops the adb server on this port (`adb kill-server`). */
export async function killAdbServer(opts: AdbServerOptions = {}): Promise<void> {
  try {
    await run(opts.adbPath ?? 'adb', ['-P', String(opts.port ?? 5037), 'kill-server']);
  } catch {
    // Not running.
  }
}
