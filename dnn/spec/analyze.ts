import type { LayerSpec, ModelSpec, TensorShape } from './layer-spec.ts';
import { ModelSpecError } from './errors.ts';
import { MODEL_INPUT_POSITION, resolveInputs } from './resolve-inputs.ts';
import { inferLayer } from './layer-inference.ts';
import { computeCutBytes } from './cut-bytes.ts';
import { tensorBytes } from './tensor-bytes.ts';

export { MODEL_INPUT_ID } from './resolve-inputs.ts';

export interface LayerAnalysis {
  /** Position in the model's layer list. */
  index: number;
  layer: LayerSpec;
  /** Producer ids after defaults; '@input' is the model input. */
  inputIds: string[];
  inputShapes: TensorShape[];
  outputShape: TensorShape;
  macc: number;
  params: number;
  /** Float32 bytes of this layer's output tensor. */
  outputBytes: number;
}

export interface ModelAnalysis {
  spec: ModelSpec;
  layers: LayerAnalysis[];
  macc: number;
  params: number;
  /** The last layer's output shape. */
  outputShape: TensorShape;
  /**
   * cutBytes[c], c = 0..L: float32 bytes that cross a cut where the first c layers
   * (in list order) run on the device: for c = 0 the input; for a DAG, every
   * tensor produced before position c and read at or after it (skip connections
   * included); for c = L: 0 (the result is small and ignored, as in the paper).
   */
  cutBytes: number[];
}

/**
 * Validates a model spec and infers every layer's shape, MACCs (paper Eq. 4, 5)
 * and parameters, and the bytes crossing each cut. Throws ModelSpecError naming
 * the model, the layer and the problem.
 */
export function analyzeModel(spec: ModelSpec): ModelAnalysis {
  checkModel(spec);
  const { inputIds, inputPositions } = resolveInputs(spec);
  const layers: LayerAnalysis[] = [];
  spec.layers.forEach((layer, index) => {
    const inputShapes = inputPositions[index].map((p) => (p === MODEL_INPUT_POSITION ? spec.inputShape : layers[p].outputShape));
    const inferred = inferLayer({ modelName: spec.name, layerIndex: index }, layer, inputShapes);
    layers.push({
      index,
      layer,
      inputIds: inputIds[index],
      inputShapes,
      ...inferred,
      outputBytes: tensorBytes(inferred.outputShape),
    });
  });
  return {
    spec,
    layers,
    macc: layers.reduce((sum, l) => sum + l.macc, 0),
    params: layers.reduce((sum, l) => sum + l.params, 0),
    outputShape: layers[layers.length - 1].outputShape,
    cutBytes: computeCutBytes(spec.inputShape, layers.map((l) => l.outputShape), inputPositions),
  };
}

function checkModel(spec: ModelSpec): void {
  const name = typeof spec.name === 'string' && spec.name.length > 0 ? spec.name : '(unnamed)';
  if (!Array.isArray(spec.inputShape) || spec.inputShape.length !== 3 || !spec.inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ModelSpecError(name, `input shape must be [height, width, channels] of positive integers, got ${JSON.stringify(spec.inputShape)}`);
  }
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
    throw new ModelSpecError(name, 'the model has no layers');
  }
}
