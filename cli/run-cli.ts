/** Test helper: runs the real `edgetree` bin in a child process against a temporary EDGETREE_HOME. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../bin/edgetree.mjs', import.meta.url).pathname;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document a --json command prints. */
  json<T = unknown>(): T;
}

export interface CliHome {
  home: string;
  run(...args: string[]): CliRun;
  dispose(): void;
}

export function createCliHome(): CliHome {
  const home = mkdtempSync(join(tmpdir(), 'edgetree-cli-'));
  return {
    home,
    run(...args) {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        env: { ...process.env, EDGETREE_HOME: home },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      return {
        code: r.status ?? -1,
        stdout: r.stdout,
        stderr: r.stderr,
        json<T>() {
          return JSON.parse(r.stdout) as T;
        },
      };
    },
    dispose() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}
