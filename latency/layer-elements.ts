/**
 * The number of float elements a zero-MACC layer touches, the x of its element line:
 * output elements for BN, activations, add, concat and flatten; output elements times
 * the window (k²) for max / average pooling, which reads k² values per output (so a 3x3
 * and a 2x2 pool share one line); input elements for global average pooling (its output
 * is one value per channel, its work is reading the whole map).
 */
import type { LayerAnalysis } from '../dnn/spec/analyze.ts';

function count(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

export function layerElements(l: Pick<LayerAnalysis, 'layer' | 'inputShapes' | 'outputShape'>): number {
  const type = l.layer.type;
  if (type === 'gap') return l.inputShapes.reduce((n, s) => n + count(s), 0);
  if (type === 'maxpool' || type === 'avgpool') return count(l.outputShape) * (l.layer.kernel ?? 1) ** 2;
  return count(l.outputShape);
}

/**
 * The im2col patch elements a conv, depthwise or FC layer reads: output pixels · k² · input
 * channels per group, which is its MACCs over its output channels (the inputs, for FC).
 */
export function layerPatches(l: Pick<LayerAnalysis, 'macc' | 'outputShape'>): number {
  const out = l.outputShape[l.outputShape.length - 1];
  return out > 0 ? l.macc / out : 0;
}
