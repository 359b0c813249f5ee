import { LAYER_TYPES } from './layer-spec.ts';
import type { LayerSpec, ModelSpec } from './layer-spec.ts';
import { ModelSpecError } from './errors.ts';

/**
 * The id a layer names in `inputs` to read the model input itself, e.g. a
 * skip connection from the image: `{ id: 'join', type: 'add', inputs: ['@input', 'conv3'] }`.
 * No layer may take this id.
 */
export const MODEL_INPUT_ID = '@input';

/** Position of the model input among producers (layers are 0..L-1). */
export const MODEL_INPUT_POSITION = -1;

export interface ResolvedInputs {
  /** Producer ids per layer, after defaults ('@input' for the model input). */
  inputIds: string[][];
  /** Producer positions per layer: -1 for the model input, else a layer position before it. */
  inputPositions: number[][];
}

const MULTI_INPUT_TYPES: ReadonlySet<string> = new Set(['add', 'concat']);

/**
 * Checks ids and wiring: ids unique and non-empty, types known, every input an
 * earlier layer (so the list is in topological order) or the model input, and
 * the number of inputs right for the type (two or more for add and concat, one
 * otherwise). An omitted `inputs` means the previous layer (the model input
 * for the first layer).
 */
export function resolveInputs(spec: ModelSpec): ResolvedInputs {
  const positionOf = new Map<string, number>();
  spec.layers.forEach((layer, index) => {
    const where = { layerIndex: index, layerId: String(layer.id), layerType: String(layer.type) };
    if (typeof layer.id !== 'string' || layer.id.length === 0) {
      throw new ModelSpecError(spec.name, 'the layer has no id (a non-empty string is required)', where);
    }
    if (layer.id === MODEL_INPUT_ID) {
      throw new ModelSpecError(spec.name, `the id "${MODEL_INPUT_ID}" is reserved for the model input`, where);
    }
    const earlier = positionOf.get(layer.id);
    if (earlier !== undefined) {
      throw new ModelSpecError(spec.name, `duplicate id "${layer.id}" (already used by layer ${earlier})`, where);
    }
    if (!(LAYER_TYPES as readonly string[]).includes(layer.type)) {
      throw new ModelSpecError(spec.name, `unknown layer type "${String(layer.type)}" (known: ${LAYER_TYPES.join(', ')})`, where);
    }
    positionOf.set(layer.id, index);
  });

  const inputIds: string[][] = [];
  const inputPositions: number[][] = [];
  spec.layers.forEach((layer, index) => {
    const ids = layer.inputs ?? [index === 0 ? MODEL_INPUT_ID : spec.layers[index - 1].id];
    inputIds.push([...ids]);
    inputPositions.push(ids.map((id) => producerPosition(spec, layer, index, id, positionOf)));
    checkArity(spec, layer, index, ids.length);
  });
  return { inputIds, inputPositions };
}

function producerPosition(spec: ModelSpec, layer: LayerSpec, index: number, id: string, positionOf: Map<string, number>): number {
  const where = { layerIndex: index, layerId: layer.id, layerType: layer.type };
  if (id === MODEL_INPUT_ID) return MODEL_INPUT_POSITION;
  const position = positionOf.get(id);
  if (position === undefined) {
    throw new ModelSpecError(spec.name, `unknown input id "${id}" (no layer has it; the model input is "${MODEL_INPUT_ID}")`, where);
  }
  if (position === index) throw new ModelSpecError(spec.name, `the layer lists itself ("${id}") as an input`, where);
  if (position > index) {
    throw new ModelSpecError(spec.name, `input "${id}" is layer ${position}, which comes later: layers must be listed in topological order`, where);
  }
  return position;
}

function checkArity(spec: ModelSpec, layer: LayerSpec, index: number, count: number): void {
  const where = { layerIndex: index, layerId: layer.id, layerType: layer.type };
  if (MULTI_INPUT_TYPES.has(layer.type)) {
    if (count < 2) throw new ModelSpecError(spec.name, `${layer.type} needs two or more inputs, got ${count}`, where);
  } else if (count !== 1) {
    throw new ModelSpecError(spec.name, `${layer.type} takes exactly one input, got ${count}`, where);
  }
}
