/** Where the studio keeps its data: $EDGETREE_HOME, else ~/.edgetree. */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DB_FILE_NAME = 'studio.db';

export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.EDGETREE_HOME;
  return fromEnv && fromEnv.trim() !== '' ? resolve(fromEnv) : join(homedir(), '.edgetree');
}

/** Creates the home folder if missing and returns the database path inside it. */
export function ensureHome(home: string): string {
  mkdirSync(home, { recursive: true });
  return join(home, DB_FILE_NAME);
}
