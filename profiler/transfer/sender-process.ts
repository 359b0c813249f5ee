/**
 * Drives a long-lived upload-sender.mjs (one process for a whole calibration, so no
 * process start lands in a timing): writes a size per line on its stdin and reads its
 * JSON result line from stdout.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import { TransferRunError } from './errors.ts';
import { projectFile } from '../project-files.ts';

export const UPLOAD_SENDER_PATH = projectFile('profiler', 'transfer', 'upload-sender.mjs');

export interface SenderProcess {
  /** Milliseconds from the first byte written to the acknowledgement. */
  upload(bytes: number): Promise<number>;
  close(): Promise<void>;
}

/** `prefix` runs the sender elsewhere, e.g. ['ip', 'netns', 'exec', NS]; empty: here. */
export function startSenderProcess(prefix: string[], host: string, port: number): SenderProcess {
  const argv = [...prefix, process.execPath, UPLOAD_SENDER_PATH, host, String(port)];
  const child: ChildProcessWithoutNullStreams = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const waiting: { resolve(line: string): void; reject(e: Error): void }[] = [];
  let exited: Error | undefined;
  readline.createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(line));
  const onGone = (why: string) => {
    exited = new TransferRunError(`the upload sender (${argv.join(' ')}) ${why}${stderr ? `: ${stderr.trim()}` : ''}`);
    for (const w of waiting.splice(0)) w.reject(exited);
  };
  child.on('error', (e) => onGone(`could not start: ${e.message}`));
  child.on('exit', (code, signal) => onGone(`exited (${signal ?? `code ${code}`})`));
  return {
    upload(bytes: number) {
      if (exited) return Promise.reject(exited);
      return new Promise<string>((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin.write(`${bytes}\n`);
      }).then((line) => {
        const r = JSON.parse(line) as { bytes: number; ms?: number; error?: string };
        if (r.error !== undefined || typeof r.ms !== 'number') throw new TransferRunError(`upload of ${bytes} bytes to ${host}:${port} failed: ${r.error ?? line}`);
        return r.ms;
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      });
    },
  };
}
