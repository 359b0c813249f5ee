/**
 * Device profiles as JSON (export, import, the store's column). Every field is
 * checked; a problem is a ProfileFormatError naming the source and the JSON path,
 * e.g. `pixel4.json: $.compute[2].kernel: conv needs a whole kernel size >= 1, got null`.
 * Unknown keys are refused too, so that a misspelt field is not silently dropped.
 */
import { COMPUTE_LAYER_TYPES, ELEMENT_LAYER_TYPES, type ComputeLayerType, type ComputeLine, type ColdLines, type DeviceProfile, CACHE_SIZE_SOURCES, type CacheSizeSource, type ElementLayerType, type ElementLine, type TransferLine } from './device-profile.ts';
import { ProfileFormatError } from './errors.ts';
import { isRuntime, RUNTIMES, type Runtime } from './runtime.ts';

type Json = Record<string, unknown>;

class Reader {
  constructor(readonly source: string) {}

  fail(path: string, problem: string): never {
    throw new ProfileFormatError(this.source, path, problem);
  }

  object(v: unknown, path: string, keys: readonly string[]): Json {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `expected an object, got ${describe(v)}`);
    const o = v as Json;
    for (const k of Object.keys(o)) if (!keys.includes(k)) this.fail(`${path}.${k}`, `unknown field (expected one of ${keys.join(', ')})`);
    return o;
  }

  array(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, `expected an array, got ${describe(v)}`);
    return v as unknown[];
  }

  string(v: unknown, path: string): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(path, `expected a non-empty string, got ${describe(v)}`);
    return v as string;
  }

  optString(v: unknown, path: string): string | undefined {
    return v === undefined ? undefined : this.string(v, path);
  }

  number(v: unknown, path: string, min = -Infinity): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, `expected a finite number, got ${describe(v)}`);
    if ((v as number) < min) this.fail(path, `must be >= ${min}, got ${String(v)}`);
    return v as number;
  }

  wholeNumber(v: unknown, path: string, min: number): number {
    const n = this.number(v, path, min);
    if (!Number.isInteger(n)) this.fail(path, `expected a whole number, got ${n}`);
    return n;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

const PROFILE_KEYS = ['formatVersion', 'name', 'device', 'backend', 'runtime', 'createdAt', 'compute', 'otherLayerMs', 'elementLines', 'reference', 'cache', 'cacheProbe', 'cold', 'transfer'] as const;
const REFERENCE_KEYS = ['id', 'ms'] as const;
const CACHE_KEYS = ['bytes', 'source'] as const;
const COLD_KEYS = ['cacheBytes', 'compute', 'elementLines'] as const;
const PROBE_KEYS = ['bytes', 'memoryRatio'] as const;
const DEVICE_KEYS = ['id', 'model', 'os', 'abi', 'cores'] as const;
const COMPUTE_KEYS = ['layerType', 'kernel', 'slopeMsPerMacc', 'interceptMs', 'slopeMsPerWeight', 'slopeMsPerPatch', 'r2', 'points'] as const;
const ELEMENT_KEYS = ['layerType', 'slopeMsPerElement', 'interceptMs', 'r2', 'points'] as const;
const TRANSFER_KEYS = ['bandwidthMbps', 'interceptMs', 'slopeMsPerByte'] as const;

function readCompute(r: Reader, v: unknown, path: string): ComputeLine {
  const o = r.object(v, path, COMPUTE_KEYS);
  const layerType = o.layerType;
  if (typeof layerType !== 'string' || !(COMPUTE_LAYER_TYPES as readonly string[]).includes(layerType)) {
    r.fail(`${path}.layerType`, `expected one of ${COMPUTE_LAYER_TYPES.join(', ')}, got ${describe(layerType)}`);
  }
  const type = layerType as ComputeLayerType;
  let kernel: number | null;
  if (type === 'fc') {
    if (o.kernel !== null && o.kernel !== undefined) r.fail(`${path}.kernel`, `fc has no kernel: expected null, got ${describe(o.kernel)}`);
    kernel = null;
  } else {
    if (typeof o.kernel !== 'number' || !Number.isInteger(o.kernel) || o.kernel < 1) {
      r.fail(`${path}.kernel`, `${type} needs a whole kernel size >= 1, got ${describe(o.kernel)}`);
    }
    kernel = o.kernel as number;
  }
  const line: ComputeLine = {
    layerType: type,
    kernel,
    slopeMsPerMacc: r.number(o.slopeMsPerMacc, `${path}.slopeMsPerMacc`, 0),
    interceptMs: r.number(o.interceptMs, `${path}.interceptMs`),
  };
  if (o.slopeMsPerWeight !== undefined) line.slopeMsPerWeight = r.number(o.slopeMsPerWeight, `${path}.slopeMsPerWeight`, 0);
  if (o.slopeMsPerPatch !== undefined) line.slopeMsPerPatch = r.number(o.slopeMsPerPatch, `${path}.slopeMsPerPatch`, 0);
  readFitQuality(r, o, path, line);
  return line;
}

/** The optional fit figures a compute or element line carries: R² (<= 1) and its point count. */
function readFitQuality(r: Reader, o: Record<string, unknown>, path: string, line: { r2?: number; points?: number }): void {
  if (o.r2 !== undefined) {
    line.r2 = r.number(o.r2, `${path}.r2`);
    if (line.r2 > 1) r.fail(`${path}.r2`, `must be <= 1, got ${line.r2}`);
  }
  if (o.points !== undefined) line.points = r.wholeNumber(o.points, `${path}.points`, 0);
}

function readElementLine(r: Reader, v: unknown, path: string): ElementLine {
  const o = r.object(v, path, ELEMENT_KEYS);
  if (typeof o.layerType !== 'string' || !(ELEMENT_LAYER_TYPES as readonly string[]).includes(o.layerType)) {
    r.fail(`${path}.layerType`, `expected one of ${ELEMENT_LAYER_TYPES.join(', ')}, got ${describe(o.layerType)}`);
  }
  const line: ElementLine = {
    layerType: o.layerType as ElementLayerType,
    slopeMsPerElement: r.number(o.slopeMsPerElement, `${path}.slopeMsPerElement`, 0),
    interceptMs: r.number(o.interceptMs, `${path}.interceptMs`),
  };
  readFitQuality(r, o, path, line);
  return line;
}

function readTransfer(r: Reader, v: unknown, path: string): TransferLine {
  const o = r.object(v, path, TRANSFER_KEYS);
  const bandwidthMbps = r.number(o.bandwidthMbps, `${path}.bandwidthMbps`);
  if (bandwidthMbps <= 0) r.fail(`${path}.bandwidthMbps`, `must be > 0, got ${bandwidthMbps}`);
  return {
    bandwidthMbps,
    interceptMs: r.number(o.interceptMs, `${path}.interceptMs`),
    slopeMsPerByte: r.number(o.slopeMsPerByte, `${path}.slopeMsPerByte`),
  };
}

function readComputeList(r: Reader, v: unknown, path: string): ComputeLine[] {
  const compute = r.array(v, path).map((c, i) => readCompute(r, c, `${path}[${i}]`));
  const seen = new Map<string, number>();
  compute.forEach((c, i) => {
    const key = `${c.layerType} k=${c.kernel ?? '-'}`;
    const first = seen.get(key);
    if (first !== undefined) r.fail(`${path}[${i}]`, `a second line for ${key} (the first is ${path}[${first}])`);
    seen.set(key, i);
  });
  return compute;
}

function readElementList(r: Reader, v: unknown, path: string): ElementLine[] {
  const lines = r.array(v, path).map((e, i) => readElementLine(r, e, `${path}[${i}]`));
  const types = new Map<string, number>();
  lines.forEach((e, i) => {
    const first = types.get(e.layerType);
    if (first !== undefined) r.fail(`${path}[${i}].layerType`, `a second line for ${e.layerType} (the first is ${path}[${first}])`);
    types.set(e.layerType, i);
  });
  return lines;
}

/** Checks `json` (already parsed) field by field; `source` names it in errors (a file name, "store profile 7"). */
export function parseDeviceProfile(json: unknown, source: string): DeviceProfile {
  const r = new Reader(source);
  const o = r.object(json, '$', PROFILE_KEYS);
  if (o.formatVersion !== 1) r.fail('$.formatVersion', `expected 1, got ${describe(o.formatVersion)}`);
  const d = r.object(o.device, '$.device', DEVICE_KEYS);
  const device: DeviceProfile['device'] = { id: r.string(d.id, '$.device.id') };
  const model = r.optString(d.model, '$.device.model');
  const os = r.optString(d.os, '$.device.os');
  const abi = r.optString(d.abi, '$.device.abi');
  if (model !== undefined) device.model = model;
  if (os !== undefined) device.os = os;
  if (abi !== undefined) device.abi = abi;
  if (d.cores !== undefined) device.cores = r.wholeNumber(d.cores, '$.device.cores', 1);

  const compute = readComputeList(r, o.compute, '$.compute');
  const transfer = r.array(o.transfer, '$.transfer').map((t, i) => readTransfer(r, t, `$.transfer[${i}]`));
  const bandwidths = new Map<number, number>();
  transfer.forEach((t, i) => {
    const first = bandwidths.get(t.bandwidthMbps);
    if (first !== undefined) r.fail(`$.transfer[${i}].bandwidthMbps`, `${t.bandwidthMbps} Mbit/s already has a line at $.transfer[${first}]`);
    bandwidths.set(t.bandwidthMbps, i);
  });

  const profile: DeviceProfile = { formatVersion: 1, name: r.string(o.name, '$.name'), device, compute, transfer };
  const backend = r.optString(o.backend, '$.backend');
  const createdAt = r.optString(o.createdAt, '$.createdAt');
  if (backend !== undefined) profile.backend = backend;
  if (o.runtime !== undefined) {
    if (!isRuntime(o.runtime)) r.fail('$.runtime', `expected one of ${RUNTIMES.join(', ')}, got ${describe(o.runtime)}`);
    profile.runtime = o.runtime as Runtime;
  }
  if (createdAt !== undefined) profile.createdAt = createdAt;
  if (o.otherLayerMs !== undefined) profile.otherLayerMs = r.number(o.otherLayerMs, '$.otherLayerMs', 0);
  if (o.elementLines !== undefined) profile.elementLines = readElementList(r, o.elementLines, '$.elementLines');
  if (o.reference !== undefined) {
    const ref = r.object(o.reference, '$.reference', REFERENCE_KEYS);
    const ms = r.number(ref.ms, '$.reference.ms', 0);
    if (!(ms > 0)) r.fail('$.reference.ms', `must be > 0, got ${ms}`);
    profile.reference = { id: r.string(ref.id, '$.reference.id'), ms };
  }
  if (o.cache !== undefined) {
    const c = r.object(o.cache, '$.cache', CACHE_KEYS);
    if (c.source === 'unknown') {
      if (c.bytes !== null) r.fail('$.cache.bytes', `an unknown cache has bytes null, got ${describe(c.bytes)}`);
      profile.cache = { bytes: null, source: 'unknown' };
    } else {
      if (!CACHE_SIZE_SOURCES.includes(c.source as CacheSizeSource)) r.fail('$.cache.source', `expected one of ${[...CACHE_SIZE_SOURCES, 'unknown'].join(', ')}, got ${describe(c.source)}`);
      profile.cache = { bytes: r.wholeNumber(c.bytes, '$.cache.bytes', 1), source: c.source as CacheSizeSource };
    }
  }
  if (o.cacheProbe !== undefined) {
    const c = r.object(o.cacheProbe, '$.cacheProbe', PROBE_KEYS);
    profile.cacheProbe = { bytes: c.bytes === null ? null : r.wholeNumber(c.bytes, '$.cacheProbe.bytes', 1), memoryRatio: r.number(c.memoryRatio, '$.cacheProbe.memoryRatio', 0) };
  }
  if (o.cold !== undefined) {
    const c = r.object(o.cold, '$.cold', COLD_KEYS);
    const cacheBytes = r.wholeNumber(c.cacheBytes, '$.cold.cacheBytes', 1);
    const cold: ColdLines = { cacheBytes, compute: readComputeList(r, c.compute, '$.cold.compute') };
    if (c.elementLines !== undefined) cold.elementLines = readElementList(r, c.elementLines, '$.cold.elementLines');
    profile.cold = cold;
  }
  return profile;
}

function orderedCompute(c: ComputeLine): ComputeLine {
  return { layerType: c.layerType, kernel: c.kernel, slopeMsPerMacc: c.slopeMsPerMacc, interceptMs: c.interceptMs, slopeMsPerWeight: c.slopeMsPerWeight, slopeMsPerPatch: c.slopeMsPerPatch, r2: c.r2, points: c.points };
}

function orderedElement(e: ElementLine): ElementLine {
  return { layerType: e.layerType, slopeMsPerElement: e.slopeMsPerElement, interceptMs: e.interceptMs, r2: e.r2, points: e.points };
}

/** JSON text of a profile, fields in a fixed order, 2-space indent; checked first so only valid profiles leave. */
export function serializeDeviceProfile(profile: DeviceProfile): string {
  const p = parseDeviceProfile(profile, `profile "${String(profile.name)}"`);
  const ordered = {
    formatVersion: p.formatVersion,
    name: p.name,
    device: p.device,
    backend: p.backend,
    runtime: p.runtime,
    createdAt: p.createdAt,
    compute: p.compute.map(orderedCompute),
    otherLayerMs: p.otherLayerMs,
    elementLines: p.elementLines?.map(orderedElement),
    reference: p.reference === undefined ? undefined : { id: p.reference.id, ms: p.reference.ms },
    cache: p.cache === undefined ? undefined : { bytes: p.cache.bytes, source: p.cache.source },
    cacheProbe: p.cacheProbe === undefined ? undefined : { bytes: p.cacheProbe.bytes, memoryRatio: p.cacheProbe.memoryRatio },
    cold: p.cold === undefined ? undefined : { cacheBytes: p.cold.cacheBytes, compute: p.cold.compute.map(orderedCompute), elementLines: p.cold.elementLines?.map(orderedElement) },
    transfer: p.transfer.map((t) => ({ bandwidthMbps: t.bandwidthMbps, interceptMs: t.interceptMs, slopeMsPerByte: t.slopeMsPerByte })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
