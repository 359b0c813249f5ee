/** Samples stored compactly: a number array as a little-endian Float64 blob. */

export function toFloat64Blob(values: readonly number[]): Buffer {
  const arr = Float64Array.from(values);
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
}

export function fromFloat64Blob(blob: Buffer): number[] {
  // Copy first: a Buffer's offset in its pool need not be 8-byte aligned.
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return Array.from(new Float64Array(copy.buffer));
}
