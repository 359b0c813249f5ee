/**
 * Assembles a DeviceProfile from fitted compute and transfer lines and checks it with
 * the profile format's own reader, so a fit never yields a profile the store refuses.
 */
import type { CacheProbe, ColdLines, ComputeLine, DeviceProfile, ElementLine, LastLevelCache, TransferLine } from '../device-profile.ts';
import { parseDeviceProfile } from '../profile-json.ts';
import type { Runtime } from '../runtime.ts';

export interface BuildProfileInput {
  name: string;
  device: DeviceProfile['device'];
  /** The runtime measured, e.g. "tfjs-node wasm (simd)". */
  backend?: string;
  runtime?: Runtime;
  /** The compute fit (see fitComputeLines): its lines and the cost of zero-MACC layers. */
  compute: { lines: ComputeLine[]; otherLayerMs: number; elementLines?: ElementLine[] };
  /** The speed reference's median over the calibration, when the runner timed it. */
  reference?: { id: string; ms: number };
  /** The device's last-level cache as calibration read it (size and source, or unknown). */
  cache?: LastLevelCache;
  /** What the cache probe found, when the plan had it. */
  cacheProbe?: CacheProbe;
  /** Cache-cold lines and the cache size they apply beyond, when the calibration measured them. */
  cold?: ColdLines;
  /** f(S|W) lines (see fitTransferLines); empty when the link was not calibrated. */
  transfer?: TransferLine[];
  /** ISO 8601; defaults to now. */
  createdAt?: string;
}

/** Throws ProfileFormatError (naming the JSON path) when a line is out of range. */
export function buildDeviceProfile(input: BuildProfileInput): DeviceProfile {
  const profile: DeviceProfile = {
    formatVersion: 1,
    name: input.name,
    device: { ...input.device },
    createdAt: input.createdAt ?? new Date().toISOString(),
    compute: input.compute.lines.map((l) => ({ ...l })),
    otherLayerMs: input.compute.otherLayerMs,
    transfer: (input.transfer ?? []).map((t) => ({ bandwidthMbps: t.bandwidthMbps, interceptMs: t.interceptMs, slopeMsPerByte: t.slopeMsPerByte })),
  };
  if (input.backend !== undefined) profile.backend = input.backend;
  if (input.runtime !== undefined) profile.runtime = input.runtime;
  if (input.reference !== undefined) profile.reference = { ...input.reference };
  if (input.cache !== undefined) profile.cache = { ...input.cache };
  if (input.cacheProbe !== undefined) profile.cacheProbe = { ...input.cacheProbe };
  if (input.cold !== undefined) profile.cold = { ...input.cold };
  if (input.compute.elementLines !== undefined && input.compute.elementLines.length > 0) profile.elementLines = input.compute.elementLines.map((e) => ({ ...e }));
  return parseDeviceProfile(profile, `fitted profile "${input.name}"`);
}
