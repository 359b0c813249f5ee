/**
 * A WeightSet as bytes, float16 or float32 (the studio ships its trained base
 * weights as float16: half the size, and the accuracy the README reports is
 * measured on the float16 weights). Pure, so a browser page can read it too.
 *
 * Layout: "ETWH", uint32 LE header length, UTF-8 JSON header
 * `{ model, dtype, arrays: [{ layer, name, length }] }` padded with spaces to a
 * multiple of 4, then the values in the header's order.
 */
import type { LayerWeights, WeightName, WeightSet } from './layer-weights.ts';

const MAGIC = 'ETWH';
const NAMES: readonly WeightName[] = ['kernel', 'bias', 'gamma', 'beta', 'movingMean', 'movingVariance'];
export type WeightDtype = 'float16' | 'float32';

interface Header {
  model: string;
  dtype: WeightDtype;
  arrays: { layer: string; name: WeightName; length: number }[];
}

export class WeightCodecError extends Error {
  constructor(source: string, problem: string) {
    super(`weights ${source}: ${problem}`);
    this.name = 'WeightCodecError';
  }
}

export function encodeWeightSet(model: string, weights: WeightSet, dtype: WeightDtype): Uint8Array {
  const header: Header = { model, dtype, arrays: [] };
  const arrays: Float32Array[] = [];
  for (const [layer, w] of weights) {
    for (const name of NAMES) {
      const a = w[name];
      if (a !== undefined) {
        header.arrays.push({ layer, name, length: a.length });
        arrays.push(a);
      }
    }
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 4 !== 0) json += ' ';
  const headerBytes = new TextEncoder().encode(json);
  const valueBytes = dtype === 'float16' ? 2 : 4;
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const out = new Uint8Array(8 + headerBytes.length + total * valueBytes);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  const view = new DataView(out.buffer, 8 + headerBytes.length);
  let o = 0;
  for (const a of arrays) {
    for (const v of a) {
      if (dtype === 'float16') view.setUint16(o, floatToHalf(v), true);
      else view.setFloat32(o, v, true);
      o += valueBytes;
    }
  }
  return out;
}

export function decodeWeightSet(bytes: Uint8Array, source: string): { model: string; dtype: WeightDtype; weights: WeightSet } {
  const fail = (problem: string): never => {
    throw new WeightCodecError(source, problem);
  };
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) fail(`not a studio weights file (no "${MAGIC}" at the start)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.length) fail(`header of ${headerLength} bytes runs past the end (${bytes.length} bytes): truncated`);
  let header: Partial<Header>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Partial<Header>;
  } catch {
    return fail('the header is not JSON');
  }
  const { model, dtype, arrays } = header;
  if (typeof model !== 'string' || (dtype !== 'float16' && dtype !== 'float32') || !Array.isArray(arrays)) return fail('the header lacks model, dtype or arrays');
  if (arrays.some((e) => typeof e?.layer !== 'string' || !NAMES.includes(e.name) || !Number.isInteger(e.length) || e.length < 0)) fail('its array list is malformed');
  const valueBytes = dtype === 'float16' ? 2 : 4;
  const total = arrays.reduce((s, e) => s + e.length, 0);
  const expected = 8 + headerLength + total * valueBytes;
  if (bytes.length !== expected) fail(`holds ${bytes.length} bytes, the header lists ${expected}: ${bytes.length < expected ? 'truncated' : 'extra bytes at the end'}`);
  const weights: WeightSet = new Map();
  let o = 8 + headerLength;
  for (const e of arrays) {
    const values = new Float32Array(e.length);
    for (let i = 0; i < e.length; i++, o += valueBytes) values[i] = dtype === 'float16' ? halfBitsToFloat(view.getUint16(o, true)) : view.getFloat32(o, true);
    const w: LayerWeights = weights.get(e.layer) ?? {};
    w[e.name] = values;
    weights.set(e.layer, w);
  }
  return { model, dtype, weights };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Round to nearest even float16 bits (overflow to infinity, subnormals kept). */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa rolls into the exponent (and up to infinity), as it should.
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half += 1;
  return sign | half;
}

export function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
