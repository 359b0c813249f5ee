/**
 * Stable case ids: built from the layer's shape alone, so the same plan options give the
 * same ids on every run and a resumed calibration can skip what it already measured.
 */
import type { BenchKind } from '../bench-plan.ts';

/** e.g. `conv-k3-i16x16x64-o128-s1`, `fc-i512-o10`, `bn-i8x8x256`. */
export function benchCaseId(kind: BenchKind, input: readonly number[], opts: { kernel?: number; out?: number; stride?: number } = {}): string {
  const parts: string[] = [kind];
  if (opts.kernel !== undefined) parts.push(`k${opts.kernel}`);
  parts.push(`i${input.join('x')}`);
  if (opts.out !== undefined) parts.push(`o${opts.out}`);
  if (opts.stride !== undefined) parts.push(`s${opts.stride}`);
  return parts.join('-');
}
