/**
 * Test support: two different tiny-tree bundles, each carrying a 640 KiB runtime file of
 * random bytes so a push moves in several steps and can be cut off halfway.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildBundle } from '../../bundle/build-bundle.ts';
import type { BuiltBundle } from '../../bundle/build-bundle.ts';
import { tinyBundleInput } from '../../bundle/testing/tiny-tree.ts';

export const RUNTIME_FILE_BYTES = 640 * 1024;

export async function testBundle(work: string, name: string, createdAt: string): Promise<BuiltBundle> {
  const blob = join(work, `${name}-runtime.bin`);
  await writeFile(blob, randomBytes(RUNTIME_FILE_BYTES));
  return buildBundle(await tinyBundleInput({
    now: new Date(createdAt),
    runtime: { files: [{ from: blob, path: 'runtime/node/runtime.bin' }], nodeEntry: 'runtime/node/runtime.bin' },
  }), join(work, name));
}
