/** The bundle a device runs now: read and checked in place, and rolled back to the previous one. */
import { createHash } from 'node:crypto';
import { MANIFEST_FILE } from '../api/bundle/bundle-manifest.ts';
import type { BundleManifest } from '../api/bundle/bundle-manifest.ts';
import { parseBundleManifest } from '../api/bundle/parse-manifest.ts';
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import { shellQuote } from '../native-bridge/shell-quote.ts';
import { DeployError } from './deploy-error.ts';
import { currentName, remoteLayout, runChecked } from './remote-layout.ts';
import { verifyRemoteFiles } from './verify-remote-files.ts';
import type { VerifiedOn } from './verify-remote-files.ts';

export interface DeployedBundle {
  name: string;
  manifest: BundleManifest;
  /** The manifest's own SHA-256 as read from the device. */
  manifestSha256: string;
  verifiedOn: VerifiedOn;
}

/** Reads `<root>/current/manifest.json` and checks every file it lists on the device; null when nothing is deployed. */
export async function verifyDeployedBundle(transport: DeviceTransport, remoteRoot: string, link: 'current' | 'previous' = 'current'): Promise<DeployedBundle | null> {
  const layout = remoteLayout(remoteRoot);
  const name = await currentName(transport, layout[link]);
  if (name === null) return null;
  const dir = `${layout.bundles}/${name}`;
  const text = await runChecked(transport, `cat ${shellQuote(`${dir}/${MANIFEST_FILE}`)}`, `read the ${link} bundle's manifest`, 30_000);
  const manifest = parseBundleManifest(text, `${transport.id}:${dir}`);
  const verifiedOn = await verifyRemoteFiles(transport, dir, manifest.files);
  return { name, manifest, manifestSha256: createHash('sha256').update(text).digest('hex'), verifiedOn };
}

/** Makes `previous` current again (and the bundle it replaces previous), each link switched by one rename. */
export async function rollbackBundle(transport: DeviceTransport, remoteRoot: string): Promise<{ current: string; previous: string }> {
  const layout = remoteLayout(remoteRoot);
  const current = await currentName(transport, layout.current);
  const previous = await currentName(transport, layout.previous);
  if (previous === null || current === null) throw new DeployError(transport.id, `nothing to roll back to under ${remoteRoot}: ${current === null ? 'no current bundle' : 'no previous bundle'}`);
  await runChecked(transport, [
    `ln -sfn ${shellQuote(`bundles/${previous}`)} ${shellQuote(`${layout.current}.new`)}`,
    `mv -T ${shellQuote(`${layout.current}.new`)} ${shellQuote(layout.current)}`,
    `ln -sfn ${shellQuote(`bundles/${current}`)} ${shellQuote(`${layout.previous}.new`)}`,
    `mv -T ${shellQuote(`${layout.previous}.new`)} ${shellQuote(layout.previous)}`,
  ].join(' && '), 'switch current back to the previous bundle', 30_000);
  return { current: previous, previous: current };
}
