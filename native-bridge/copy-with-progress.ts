// Copies one file on this computer, reporting bytes as they are written. Used by the
// local transport for push and pull.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { TransferProgress } from './device-transport.ts';

export async function copyWithProgress(from: string, to: string, onProgress?: TransferProgress): Promise<void> {
  const { size } = await stat(from);
  await mkdir(dirname(to), { recursive: true });
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      onProgress?.(sent, size);
      done(null, chunk);
    },
  });
  if (size === 0) onProgress?.(0, 0);
  await pipeline(createReadStream(from), counter, createWriteStream(to));
}
