/**
 * Explicit pads for one spatial axis: TensorFlow SAME (output ceil(in / stride),
 * the odd pixel at the end) or p zero pixels on each side.
 */
import type { Padding } from '../../dnn/spec/layer-spec.ts';

export function axisPads(inSize: number, kernel: number, stride: number, padding: Padding): [number, number] {
  if (padding !== 'same') return [padding, padding];
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + kernel - inSize, 0);
  const begin = Math.floor(total / 2);
  return [begin, total - begin];
}
