/**
 * One-click deploy (issue 6, item 4): push a bundle to a staging folder on the device
 * with progress, check every file's SHA-256 on the device, then switch the `current`
 * symlink to it with one rename, keeping the bundle it replaces as `previous`. Until that
 * rename the device's `current` is untouched, so an interrupted deploy leaves the
 * previous bundle working (deploy/README.md has the layout).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../api/bundle/bundle-manifest.ts';
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import { shellQuote } from '../native-bridge/shell-quote.ts';
import { openBundle } from '../bundle/open-bundle.ts';
import { DeployError } from './deploy-error.ts';
import { verifyRemoteFiles } from './verify-remote-files.ts';
import type { VerifiedOn } from './verify-remote-files.ts';
import { remoteLayout, runChecked } from './remote-layout.ts';

export type DeployPhase = 'push' | 'verify' | 'swap' | 'done';

export interface DeployProgress {
  phase: DeployPhase;
  /** Bytes pushed so far of all files (the manifest included) and their total. */
  doneBytes: number;
  totalBytes: number;
  /** The file being pushed or checked, bundle path. */
  file: string | null;
}

export interface DeployOptions {
  /** Folder on the device that holds `current`, `previous`, `bundles/` and `staging/`. */
  remoteRoot: string;
  onProgress?: (p: DeployProgress) => void;
  signal?: AbortSignal;
  /** The device's SHA-256 tool (default sha256sum); where `command -v` finds none, the files are pulled back and hashed here. */
  hashCommand?: string;
}

export interface DeployResult {
  /** Device path of the bundle now current, and its name under bundles/. */
  remoteDir: string;
  name: string;
  /** The bundle name `previous` points at (the one replaced), or null on a first deploy. */
  previous: string | null;
  files: number;
  bytes: number;
  /** 'device': sha256sum ran on the device; 'pulled-back': it has none, the files were pulled back and hashed here. */
  verifiedOn: VerifiedOn;
  pushMs: number;
  verifyMs: number;
  totalMs: number;
}

const EXEC_MS = 60_000;

export async function deployBundle(transport: DeviceTransport, bundleDir: string, opts: DeployOptions): Promise<DeployResult> {
  const started = performance.now();
  const bundle = await openBundle(bundleDir);
  const manifestText = await readFile(join(bundleDir, MANIFEST_FILE));
  const layout = remoteLayout(opts.remoteRoot);
  const name = `${bundle.manifest.createdAt.replace(/[^0-9A-Za-z]/g, '')}-${createHash('sha256').update(manifestText).digest('hex').slice(0, 12)}-${randomBytes(3).toString('hex')}`;
  const staging = `${layout.staging}/${name}`;
  const files = [...bundle.manifest.files.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })),
    { path: MANIFEST_FILE, bytes: manifestText.length, sha256: createHash('sha256').update(manifestText).digest('hex') }];
  const totalBytes = files.reduce((s, f) => s + f.bytes, 0);
  const report = (phase: DeployPhase, doneBytes: number, file: string | null): void => opts.onProgress?.({ phase, doneBytes, totalBytes, file });
  const check = (): void => {
    if (opts.signal?.aborted) throw new DeployError(transport.id, 'cancelled; the device keeps the bundle it had');
  };

  // Staging folders of earlier deploys that never finished are of no use to anyone.
  await runChecked(transport, `rm -rf ${shellQuote(layout.staging)} && mkdir -p ${shellQuote(staging)} ${shellQuote(layout.bundles)}`, 'prepare the staging folder', EXEC_MS);
  const pushStart = performance.now();
  let done = 0;
  report('push', 0, null);
  // The manifest goes last: a staging folder with a manifest has all its files.
  for (const f of files) {
    check();
    const base = done;
    await transport.push(join(bundleDir, f.path), `${staging}/${f.path}`, (sent) => report('push', base + sent, f.path));
    done += f.bytes;
    report('push', done, f.path);
  }
  const pushMs = performance.now() - pushStart;

  check();
  const verifyStart = performance.now();
  report('verify', done, null);
  const verifiedOn = await verifyRemoteFiles(transport, staging, files, (file) => report('verify', done, file), opts.hashCommand);
  const verifyMs = performance.now() - verifyStart;

  check();
  report('swap', done, null);
  // One device command: mv of a folder within one file system is a rename, and `ln -sfn` + `mv -T` replaces
  // each link in one rename(2); the bundles other than the new current and its previous go.
  const q = shellQuote;
  const out = await runChecked(transport, [
    `cd ${q(layout.root)}`,
    'prev=$(readlink current 2>/dev/null || true)',
    `mv ${q(`staging/${name}`)} ${q(`bundles/${name}`)}`,
    `ln -sfn ${q(`bundles/${name}`)} current.new`,
    'mv -T current.new current',
    'if [ -n "$prev" ]; then ln -sfn "$prev" previous.new && mv -T previous.new previous; fi',
    `for d in bundles/*; do [ "$d" = ${q(`bundles/${name}`)} ] || [ "$d" = "$prev" ] || rm -rf "$d"; done`,
    'echo "previous=$prev"',
  ].join(' && '), 'switch current to the new bundle', EXEC_MS);
  const prevLink = /previous=(.*)/.exec(out)?.[1]?.trim() ?? '';
  const previous = prevLink === '' ? null : prevLink.replace(/^bundles\//, '');
  report('done', done, null);
  return {
    remoteDir: `${layout.bundles}/${name}`, name, previous, files: files.length, bytes: totalBytes, verifiedOn,
    pushMs, verifyMs, totalMs: performance.now() - started,
  };
}
