import type { TensorShape } from './layer-spec.ts';

/** Tensors cross the edge-cloud link as float32. */
export const FLOAT32_BYTES = 4;

/** Number of elements in a tensor of this shape (batch axis excluded). */
export function tensorElements(shape: TensorShape): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/** Size in bytes of a float32 tensor of this shape. */
export function tensorBytes(shape: TensorShape): number {
  return tensorElements(shape) * FLOAT32_BYTES;
}
