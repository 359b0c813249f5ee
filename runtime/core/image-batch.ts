/**
 * The images a host runs: raw float32 little-endian NHWC values, normalised as the model
 * expects, image after image (`--images FILE` on the Node host, `images.f32` for the page).
 */
import { RuntimeInputError } from './runtime-errors.ts';

export function decodeImages(bytes: Uint8Array, inputShape: readonly number[], source: string): { count: number; values: Float32Array } {
  const per = inputShape.reduce((p, d) => p * d, 1) * 4;
  if (bytes.length === 0 || bytes.length % per !== 0) {
    throw new RuntimeInputError(source, `${bytes.length} bytes is not a whole number of float32 images of [${inputShape.join(', ')}] (${per} bytes each)`);
  }
  // A copy: the file's bytes may not sit at a 4-byte boundary.
  const values = new Float32Array(bytes.slice().buffer, 0, bytes.length / 4);
  return { count: bytes.length / per, values };
}

export function encodeImages(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}
