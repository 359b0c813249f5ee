import type { SeededRandom } from '../dnn/tfjs/seeded-random.ts';

/** 0..n-1 in a Fisher-Yates order drawn from `random` (training batches). */
export function shuffledIndices(n: number, random: SeededRandom): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
