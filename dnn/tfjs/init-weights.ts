import { analyzeModel } from '../spec/analyze.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import type { LayerWeights, WeightSet } from './layer-weights.ts';
import { shapeSize, weightShapes } from './layer-weights.ts';
import { SeededRandom } from './seeded-random.ts';

/**
 * Fresh weights for a spec, the same for the same seed: conv, depthwise and fc
 * kernels He-normal (normal with standard deviation sqrt(2 / fan_in), fan_in =
 * k*k*C_in/groups, k*k for depthwise, the input size for fc; plain rather than
 * Keras's truncated normal), biases 0; bn gamma 1, beta 0, moving mean 0,
 * moving variance 1. Layers are drawn in list order.
 */
export function initWeights(spec: ModelSpec, seed: number): WeightSet {
  const random = new SeededRandom(seed);
  const weights: WeightSet = new Map();
  for (const analysis of analyzeModel(spec).layers) {
    const shapes = weightShapes(analysis);
    if (Object.keys(shapes).length === 0) continue;
    const w: LayerWeights = {};
    if (shapes.kernel) {
      const [a, b, c] = shapes.kernel;
      const fanIn = shapes.kernel.length === 2 ? a : a * b * (analysis.layer.type === 'depthwise' ? 1 : c);
      const std = Math.sqrt(2 / fanIn);
      const kernel = new Float32Array(shapeSize(shapes.kernel));
      for (let i = 0; i < kernel.length; i++) kernel[i] = std * random.normal();
      w.kernel = kernel;
    }
    if (shapes.bias) w.bias = new Float32Array(shapeSize(shapes.bias));
    if (shapes.gamma) {
      const c = shapes.gamma[0];
      w.gamma = new Float32Array(c).fill(1);
      w.beta = new Float32Array(c);
      w.movingMean = new Float32Array(c);
      w.movingVariance = new Float32Array(c).fill(1);
    }
    weights.set(analysis.layer.id, w);
  }
  return weights;
}
