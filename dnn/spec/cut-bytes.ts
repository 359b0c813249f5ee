import type { TensorShape } from './layer-spec.ts';
import { tensorBytes } from './tensor-bytes.ts';
import { MODEL_INPUT_POSITION } from './resolve-inputs.ts';

/**
 * Bytes that cross each cut of a model listed in topological order.
 * Cut c (0..L) runs layers 0..c-1 on the device and the rest in the cloud.
 * c = 0 sends the input; c = L sends nothing (the result is small and ignored,
 * as in the paper); in between, every tensor produced before the cut (the model
 * input included) that a layer at or after position c still reads: for a chain
 * that is the output of layer c-1, inside a residual block also the skip tensor.
 */
export function computeCutBytes(inputShape: TensorShape, outputShapes: TensorShape[], inputPositions: number[][]): number[] {
  const layerCount = outputShapes.length;
  // lastReader[p + 1]: the last layer position that reads producer p (p = -1 is the model input).
  const lastReader = new Array<number>(layerCount + 1).fill(-1);
  inputPositions.forEach((producers, consumer) => {
    for (const p of producers) lastReader[p + 1] = Math.max(lastReader[p + 1], consumer);
  });
  const bytesOf = (p: number): number => tensorBytes(p === MODEL_INPUT_POSITION ? inputShape : outputShapes[p]);

  const cuts: number[] = [tensorBytes(inputShape)];
  for (let c = 1; c < layerCount; c++) {
    let bytes = 0;
    for (let p = MODEL_INPUT_POSITION; p < c; p++) {
      if (lastReader[p + 1] >= c) bytes += bytesOf(p);
    }
    cuts.push(bytes);
  }
  if (layerCount > 0) cuts.push(0);
  return cuts;
}
