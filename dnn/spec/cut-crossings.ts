import type { ModelAnalysis } from './analyze.ts';
import type { TensorShape } from './layer-spec.ts';
import { MODEL_INPUT_ID } from './resolve-inputs.ts';
import { tensorBytes } from './tensor-bytes.ts';
import { ModelSpecError } from './errors.ts';

/** One tensor that crosses a cut: produced on the device side, read on the cloud side. */
export interface CutTensor {
  /** The producing layer's id, or '@input' for the model input. */
  producerId: string;
  /** Producer position: -1 for the model input, else the layer's index. */
  position: number;
  /** Shape without the batch axis. */
  shape: TensorShape;
  /** Float32 bytes per image. */
  bytes: number;
}

/**
 * The tensors that cross cut c (0 <= c < L; the first c layers run on the
 * device), in producer order, the model input first. The rule of
 * analysis.cutBytes: every tensor produced before position c (the model input
 * included) that a layer at or after c still reads; for c = 0 the input. Their
 * bytes add up to analysis.cutBytes[c].
 */
export function cutCrossings(analysis: ModelAnalysis, cut: number): CutTensor[] {
  const layerCount = analysis.layers.length;
  if (!Number.isInteger(cut) || cut < 0 || cut >= layerCount) {
    throw new ModelSpecError(analysis.spec.name, `cut ${cut} is out of range: a cut runs layers [cut, ${layerCount}) after the device, so it must be a whole number from 0 to ${layerCount - 1}`);
  }
  const positionOf = new Map(analysis.layers.map((l) => [l.layer.id, l.index]));
  const readAfterCut = new Set<number>();
  for (const layer of analysis.layers.slice(cut)) {
    for (const id of layer.inputIds) {
      const p = id === MODEL_INPUT_ID ? -1 : (positionOf.get(id) as number);
      if (p < cut) readAfterCut.add(p);
    }
  }
  return [...readAfterCut].sort((a, b) => a - b).map((position) => {
    const shape = position === -1 ? analysis.spec.inputShape : analysis.layers[position].outputShape;
    return { producerId: position === -1 ? MODEL_INPUT_ID : analysis.layers[position].layer.id, position, shape, bytes: tensorBytes(shape) };
  });
}
