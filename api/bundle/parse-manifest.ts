/**
 * Reads a manifest.json text into a BundleManifest, refusing an unknown format version
 * (checked first, so a later format with another shape gets the version error) and a
 * manifest whose tree or file list does not hold together. File contents are checked
 * elsewhere (bundle/open-bundle.ts on this computer, the runtime on the device).
 */
import { BUNDLE_FORMAT_VERSION } from './bundle-manifest.ts';
import type { BundleFile, BundleManifest, BundleNode } from './bundle-manifest.ts';
import { BundleFormatError, BundleVersionError } from './bundle-errors.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A bundle path: relative, '/'-separated, no '.', '..' or empty parts (it must stay inside the bundle folder). */
export function isSafeBundlePath(path: string): boolean {
  if (path.length === 0 || path.length > 512 || path.startsWith('/') || path.includes('\\')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && ![...part].some((c) => c.charCodeAt(0) < 0x20));
}

export function parseBundleManifest(text: string, source: string): BundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BundleFormatError(source, `manifest.json is not JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BundleFormatError(source, 'manifest.json is not a JSON object');
  const m = raw as Partial<BundleManifest>;
  if (m.formatVersion !== BUNDLE_FORMAT_VERSION) throw new BundleVersionError(source, m.formatVersion ?? null, BUNDLE_FORMAT_VERSION);
  const fail = (problem: string): never => {
    throw new BundleFormatError(source, `manifest ${problem}`);
  };
  for (const key of ['createdAt', 'model', 'dataset'] as const) if (typeof m[key] !== 'string') fail(`field "${key}" must be a string`);
  if (!Array.isArray(m.files)) return fail('field "files" must be a list');
  if (!Array.isArray(m.nodes) || m.nodes.length === 0) return fail('field "nodes" must be a non-empty list');
  if (!Array.isArray(m.roots) || !Array.isArray(m.blocks) || !Array.isArray(m.branches)) return fail('fields "roots", "blocks" and "branches" must be lists');
  if (m.weightsDtype !== 'float16' && m.weightsDtype !== 'float32') fail(`field "weightsDtype" must be float16 or float32, got ${JSON.stringify(m.weightsDtype)}`);
  const levels = m.bandwidth?.levelsMbps;
  const thresholds = m.bandwidth?.thresholdsMbps;
  if (!Array.isArray(levels) || levels.length === 0 || !levels.every((x) => typeof x === 'number' && x > 0)) return fail('bandwidth.levelsMbps must be a non-empty list of rates > 0');
  if (!Array.isArray(thresholds) || thresholds.length !== levels.length - 1) fail(`bandwidth.thresholdsMbps must hold ${levels.length - 1} rates (one between each pair of levels)`);
  const paths = new Set<string>();
  m.files.forEach((f: Partial<BundleFile>, i) => {
    if (typeof f?.path !== 'string' || !isSafeBundlePath(f.path)) fail(`files[${i}].path ${JSON.stringify(f?.path)} is not a relative path inside the bundle`);
    if (paths.has(f.path as string)) fail(`lists file ${f.path} twice`);
    paths.add(f.path as string);
    if (!Number.isInteger(f.bytes) || (f.bytes as number) < 0) fail(`files[${i}] (${f.path}) has no byte count`);
    if (typeof f.sha256 !== 'string' || !SHA256_HEX.test(f.sha256)) fail(`files[${i}] (${f.path}) has no lower-case hex SHA-256`);
  });
  const listed = (what: string, path: string | null | undefined): void => {
    if (path !== null && path !== undefined && !paths.has(path)) fail(`${what} names ${path}, which is not in "files"`);
  };
  const nodes = m.nodes as BundleNode[];
  const k = levels.length;
  nodes.forEach((n, i) => {
    if (n?.id !== i) fail(`nodes[${i}] has id ${JSON.stringify(n?.id)}; node ids are their positions`);
    if (n.placement !== 'device' && n.placement !== 'cloud') fail(`node ${i}: placement must be device or cloud`);
    if (!Array.isArray(n.children) || (n.children.length !== 0 && n.children.length !== k)) fail(`node ${i}: children must list ${k} nodes (one per bandwidth type) or none`);
    for (const c of n.children) if (!Number.isInteger(c) || c <= i || c >= nodes.length || nodes[c]?.parent !== i) fail(`node ${i}: child ${c} is not a later node whose parent is ${i}`);
    if (n.placement === 'device' && (n.device === null || typeof n.device !== 'object' || !Array.isArray(n.device.layers))) fail(`node ${i}: a device node needs its layers`);
    if (n.device) listed(`node ${i}`, n.device.weights);
    const guard = n.offload?.guardMbps;
    if (guard !== undefined && !(typeof guard === 'number' && guard > 0 && Number.isFinite(guard))) fail(`node ${i}: offload.guardMbps must be a rate > 0, got ${JSON.stringify(guard)}`);
    const guardMs = n.offload?.guardDeviceMs;
    if (guardMs !== undefined && !(typeof guardMs === 'number' && guardMs >= 0 && Number.isFinite(guardMs))) fail(`node ${i}: offload.guardDeviceMs must be a time >= 0, got ${JSON.stringify(guardMs)}`);
  });
  if (m.roots.length !== k || m.roots.some((r) => !Number.isInteger(r) || nodes[r]?.parent !== null)) fail(`roots must list ${k} nodes without a parent`);
  if (m.fallback !== null && m.fallback !== undefined) {
    if (!Number.isInteger(m.fallback.from) || !Array.isArray(m.fallback.layers)) fail('fallback needs "from" and its layers');
    listed('fallback', m.fallback.weights);
  }
  listed('runtime.nodeEntry', m.runtime?.nodeEntry);
  listed('runtime.browserEntry', m.runtime?.browserEntry);
  return m as BundleManifest;
}
