/**
 * Checks files on the device against their SHA-256: with the device's own `sha256sum`
 * (coreutils on boards, toybox on Android) when it has one, else by pulling each file
 * back and hashing it here, and the result says which.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import { shellQuote } from '../native-bridge/shell-quote.ts';
import { sha256File } from '../bundle/sha256-file.ts';
import { RemoteChecksumError } from './deploy-error.ts';

export type VerifiedOn = 'device' | 'pulled-back';

export interface ExpectedFile {
  path: string;
  sha256: string;
}

const HASH_MS = 120_000;

/** `hashCommand`: the device's SHA-256 tool (default sha256sum; e.g. 'toybox sha256sum'); when `command -v` finds none, files are pulled back. */
export async function verifyRemoteFiles(transport: DeviceTransport, dir: string, files: readonly ExpectedFile[], onFile?: (path: string) => void, hashCommand = 'sha256sum'): Promise<VerifiedOn> {
  const probe = await transport.exec(`command -v ${hashCommand.split(' ')[0]}`, { timeoutMs: 15_000 });
  if (probe.exitCode === 0 && probe.stdout.trim() !== '') {
    // One call for all files; a missing file prints nothing for itself (and exits non-zero).
    const r = await transport.exec(`cd ${shellQuote(dir)} && ${hashCommand} -- ${files.map((f) => shellQuote(f.path)).join(' ')}`, { timeoutMs: HASH_MS });
    const got = new Map<string, string>();
    for (const line of r.stdout.split('\n')) {
      const m = /^\\?([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
      if (m) got.set(m[2], m[1]);
    }
    for (const f of files) {
      onFile?.(f.path);
      const actual = got.get(f.path) ?? null;
      if (actual !== f.sha256) throw new RemoteChecksumError(transport.id, f.path, f.sha256, actual);
    }
    return 'device';
  }
  const local = await mkdtemp(join(tmpdir(), 'edgetree-verify-'));
  try {
    for (const [i, f] of files.entries()) {
      onFile?.(f.path);
      const to = join(local, String(i));
      try {
        await transport.pull(`${dir}/${f.path}`, to);
      } catch {
        throw new RemoteChecksumError(transport.id, f.path, f.sha256, null);
      }
      const { sha256 } = await sha256File(to);
      if (sha256 !== f.sha256) throw new RemoteChecksumError(transport.id, f.path, f.sha256, sha256);
    }
    return 'pulled-back';
  } finally {
    await rm(local, { recursive: true, force: true });
  }
}
