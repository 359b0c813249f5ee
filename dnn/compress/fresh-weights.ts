/** Weights for the layers a technique adds when they do not come from the original. */
import type { SeededRandom } from '../tfjs/seeded-random.ts';

/** He-normal (std sqrt(2 / fanIn)), as initWeights draws kernels. */
export function heNormal(size: number, fanIn: number, random: SeededRandom): Float32Array {
  const std = Math.sqrt(2 / fanIn);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = std * random.normal();
  return out;
}

/** A batch normalisation that starts as the identity: (x - 0) / sqrt((1 - ε) + ε) * 1 + 0 = x. */
export function identityBn(channels: number, epsilon: number): { gamma: Float32Array; beta: Float32Array; movingMean: Float32Array; movingVariance: Float32Array } {
  return {
    gamma: new Float32Array(channels).fill(1),
    beta: new Float32Array(channels),
    movingMean: new Float32Array(channels),
    movingVariance: new Float32Array(channels).fill(1 - epsilon),
  };
}

