/**
 * The studio's copy of a deployed bundle, found by the SHA-256 of manifest.json (the manifest
 * lists every other file's SHA-256, so equal manifests mean the same bundle). A phone's
 * browser is served from this copy: the phone's own files cannot reach its browser.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import { MANIFEST_FILE } from '../api/bundle/bundle-manifest.ts';
import type { BundleManifest } from '../api/bundle/bundle-manifest.ts';
import { parseBundleManifest } from '../api/bundle/parse-manifest.ts';
import { DeviceBundleError } from './device-run-errors.ts';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The deployed manifest, pulled byte for byte (a shell's output could alter line ends), checked, with its SHA-256. */
export async function pullRemoteManifest(transport: DeviceTransport, remoteBundle: string): Promise<{ manifest: BundleManifest; sha256: string }> {
  const local = await mkdtemp(join(tmpdir(), 'edgetree-manifest-'));
  try {
    const file = join(local, MANIFEST_FILE);
    try {
      await transport.pull(`${remoteBundle}/${MANIFEST_FILE}`, file);
    } catch (e) {
      throw new DeviceBundleError(transport.id, remoteBundle, `no readable ${MANIFEST_FILE} (${(e as Error).message}); deploy one first (edgetree deploy)`);
    }
    const bytes = await readFile(file);
    return { manifest: parseBundleManifest(bytes.toString('utf8'), `${transport.id}:${remoteBundle}/${MANIFEST_FILE}`), sha256: sha256Hex(bytes) };
  } finally {
    await rm(local, { recursive: true, force: true });
  }
}

async function manifestSha(dir: string): Promise<string | null> {
  try {
    return sha256Hex(await readFile(join(dir, MANIFEST_FILE)));
  } catch {
    return null;
  }
}

/**
 * The first folder whose manifest.json has this SHA-256: each place is a bundle folder, or a
 * folder of bundles (as <home>/bundles) whose sub-folders are looked at; null when none.
 */
export async function findBundleCopy(sha256: string, places: readonly string[]): Promise<string | null> {
  for (const place of places) {
    const own = await manifestSha(place);
    if (own === sha256) return place;
    if (own !== null) continue;
    let names: string[];
    try {
      names = (await readdir(place, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    } catch {
      continue;
    }
    for (const name of names) if ((await manifestSha(join(place, name))) === sha256) return join(place, name);
  }
  return null;
}
