/**
 * The studio's own model file: `{ "format": "edgetree-model-spec", "version": 1, "model": ModelSpec }`.
 * Every field is checked for its type and for whether the layer type needs or
 * allows it, and errors name the JSON path (`$.model.layers[3].kernel`).
 */
import { LAYER_TYPES } from '../spec/layer-spec.ts';
import type { ActivationKind, InputShape, LayerSpec, LayerType, ModelSpec } from '../spec/layer-spec.ts';
import type { ModelFormat } from './model-format.ts';
import { ModelImportError } from './errors.ts';
import { isRecord, looksLikeJsonObject, parseJson, tryParseJson } from './json-file.ts';
import { SpecBuilder } from './spec-builder.ts';

export const SPEC_FORMAT_TAG = 'edgetree-model-spec';
export const SPEC_FORMAT_VERSION = 1;

// A Record keyed by the union makes the compiler flag a kind added to ActivationKind but not here.
const ACTIVATIONS: Readonly<Record<ActivationKind, true>> = {
  relu: true, relu6: true, sigmoid: true, tanh: true, softmax: true, linear: true,
  elu: true, selu: true, softplus: true, swish: true, leakyrelu: true,
};

type Field = Exclude<keyof LayerSpec, 'id' | 'type' | 'inputs'>;
const CONV_FIELDS: readonly Field[] = ['kernel', 'stride', 'padding', 'outChannels', 'groups', 'activation', 'useBias'];
const POOL_FIELDS: readonly Field[] = ['kernel', 'stride', 'padding'];

/** Per layer type: the fields it needs, and the fields it may have. */
const FIELDS: Readonly<Record<LayerType, { required: readonly Field[]; allowed: readonly Field[] }>> = {
  conv: { required: ['kernel', 'outChannels'], allowed: CONV_FIELDS },
  depthwise: { required: ['kernel'], allowed: [...CONV_FIELDS, 'depthMultiplier'] },
  fc: { required: ['outChannels'], allowed: ['outChannels', 'activation', 'useBias'] },
  maxpool: { required: ['kernel'], allowed: POOL_FIELDS },
  avgpool: { required: ['kernel'], allowed: POOL_FIELDS },
  gap: { required: [], allowed: [] },
  bn: { required: [], allowed: [] },
  activation: { required: ['activation'], allowed: ['activation'] },
  flatten: { required: [], allowed: [] },
  dropout: { required: [], allowed: ['rate'] },
  add: { required: [], allowed: [] },
  concat: { required: [], allowed: [] },
};

/** Serialises a model spec as the studio's model file (pretty-printed JSON). */
export function serializeModelSpec(spec: ModelSpec): string {
  return `${JSON.stringify({ format: SPEC_FORMAT_TAG, version: SPEC_FORMAT_VERSION, model: spec }, null, 2)}\n`;
}

export const specJsonFormat: ModelFormat = {
  id: 'spec-json',
  description: 'EdgeTree Studio model spec (JSON, "format": "edgetree-model-spec")',
  recognises(_fileName: string, bytes: Uint8Array): boolean {
    if (!looksLikeJsonObject(bytes)) return false;
    const json = tryParseJson(bytes);
    return isRecord(json) && json.format === SPEC_FORMAT_TAG;
  },
  open(fileName: string, bytes: Uint8Array): ModelSpec {
    return parseModelSpecJson(fileName, parseJson(fileName, bytes));
  },
};

/** Validates a parsed spec file; throws ModelImportError naming the JSON path of the first problem. */
export function parseModelSpecJson(fileName: string, json: unknown): ModelSpec {
  const fail = (path: string, problem: string): never => {
    throw new ModelImportError(fileName, problem, path);
  };
  if (!isRecord(json)) return fail('$', `expected a JSON object, got ${describe(json)}`);
  if (json.format !== SPEC_FORMAT_TAG) fail('$.format', `expected "${SPEC_FORMAT_TAG}", got ${describe(json.format)}`);
  if (json.version !== SPEC_FORMAT_VERSION) {
    fail('$.version', `version ${describe(json.version)} is not supported (this studio reads version ${SPEC_FORMAT_VERSION})`);
  }
  const model = json.model;
  if (!isRecord(model)) return fail('$.model', `expected an object, got ${describe(model)}`);
  unknownKeys(model, ['name', 'inputShape', 'layers'], '$.model', fail);
  if (typeof model.name !== 'string' || model.name.length === 0) fail('$.model.name', `expected a non-empty string, got ${describe(model.name)}`);
  const inputShape = model.inputShape;
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every(isPositiveInt)) {
    fail('$.model.inputShape', `expected [height, width, channels] of positive integers, got ${describe(inputShape)}`);
  }
  if (!Array.isArray(model.layers) || model.layers.length === 0) fail('$.model.layers', `expected a non-empty array of layers, got ${describe(model.layers)}`);
  const layers = (model.layers as unknown[]).map((layer, i) => parseLayer(layer, `$.model.layers[${i}]`, fail));

  // Wiring and shapes (unique ids, inputs earlier in the list, kernels that fit) via the spec builder's check.
  const builder = new SpecBuilder(fileName);
  builder.setInput('@input');
  layers.forEach((layer, i) => {
    const { id, inputs, ...fields } = layer;
    const path = `$.model.layers[${i}]`;
    if (builder.has(id)) fail(`${path}.id`, `duplicate id "${id}"`);
    const sources = inputs ?? [i === 0 ? '@input' : layers[i - 1].id];
    sources.forEach((source, j) => {
      if (!builder.has(source)) fail(`${path}.inputs[${j}]`, `"${source}" is not the model input ("@input") or the id of an earlier layer`);
    });
    builder.add(id, fields, sources, id, path);
  });
  const spec = builder.build(model.name as string, inputShape as unknown as InputShape);
  // The builder may drop a redundant `inputs`; return the layers as the file wrote them.
  return { name: spec.name, inputShape: spec.inputShape, layers };
}

type Fail = (path: string, problem: string) => never;

function parseLayer(value: unknown, path: string, fail: Fail): LayerSpec {
  if (!isRecord(value)) return fail(path, `expected a layer object, got ${describe(value)}`);
  if (typeof value.id !== 'string' || value.id.length === 0) fail(`${path}.id`, `expected a non-empty string, got ${describe(value.id)}`);
  if (value.id === '@input') fail(`${path}.id`, '"@input" is reserved for the model input');
  const type = value.type;
  if (typeof type !== 'string' || !(LAYER_TYPES as readonly string[]).includes(type)) {
    return fail(`${path}.type`, `expected one of ${LAYER_TYPES.join(', ')}, got ${describe(type)}`);
  }
  const layerType = type as LayerType;
  const { required, allowed } = FIELDS[layerType];
  unknownKeys(value, ['id', 'type', 'inputs', ...allowed], path, fail, layerType);
  for (const field of required) {
    if (value[field] === undefined) fail(`${path}.${field}`, `a ${layerType} layer needs ${field}`);
  }
  const layer: LayerSpec = { id: value.id as string, type: layerType };
  if (value.inputs !== undefined) {
    const inputs = value.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((x) => typeof x === 'string' && x.length > 0)) {
      fail(`${path}.inputs`, `expected a non-empty array of layer ids, got ${describe(inputs)}`);
    }
    layer.inputs = [...(inputs as string[])];
  }
  if ((layerType === 'add' || layerType === 'concat') && (layer.inputs === undefined || layer.inputs.length < 2)) {
    fail(`${path}.inputs`, `a ${layerType} layer needs two or more inputs, got ${describe(value.inputs)}`);
  }
  for (const field of ['kernel', 'stride', 'outChannels', 'groups', 'depthMultiplier'] as const) {
    const x = value[field];
    if (x === undefined) continue;
    if (!isPositiveInt(x)) fail(`${path}.${field}`, `expected a positive integer, got ${describe(x)}`);
    layer[field] = x as number;
  }
  if (value.padding !== undefined) {
    const p = value.padding;
    if (p !== 'same' && !(typeof p === 'number' && Number.isInteger(p) && p >= 0)) {
      fail(`${path}.padding`, `expected 'same' or a non-negative integer, got ${describe(p)}`);
    }
    layer.padding = p as number | 'same';
  }
  if (value.activation !== undefined) {
    const a = value.activation;
    if (typeof a !== 'string' || !Object.hasOwn(ACTIVATIONS, a)) {
      fail(`${path}.activation`, `expected one of ${Object.keys(ACTIVATIONS).join(', ')}, got ${describe(a)}`);
    }
    layer.activation = a as ActivationKind;
  }
  if (value.useBias !== undefined) {
    if (typeof value.useBias !== 'boolean') fail(`${path}.useBias`, `expected true or false, got ${describe(value.useBias)}`);
    layer.useBias = value.useBias as boolean;
  }
  if (value.rate !== undefined) {
    const r = value.rate;
    if (typeof r !== 'number' || !(r >= 0 && r < 1)) fail(`${path}.rate`, `expected a number in [0, 1), got ${describe(r)}`);
    layer.rate = r as number;
  }
  return layer;
}

function unknownKeys(value: Record<string, unknown>, known: readonly string[], path: string, fail: Fail, layerType?: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const what = layerType === undefined ? 'unknown field' : `field not used by a ${layerType} layer`;
      fail(`${path}.${key}`, `${what} "${key}" (allowed: ${known.join(', ')})`);
    }
  }
}

function isPositiveInt(x: unknown): boolean {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
