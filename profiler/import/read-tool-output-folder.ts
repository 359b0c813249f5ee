// Reads a folder of saved tool outputs (<case id or model>.txt / .log / .out) for importToolOutputs and modelTimingsFromToolOutputs.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SavedToolOutput } from './tool-outputs-import.ts';

export async function readToolOutputFolder(dir: string): Promise<SavedToolOutput[]> {
  const names = (await readdir(dir)).filter((n) => /\.(txt|log|out)$/i.test(n)).sort();
  return Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })));
}
