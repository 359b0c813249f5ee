/**
 * TensorFlow.js Layers `model.json` (and Keras-style topologies): `modelTopology`
 * with `class_name` Sequential or Model / Functional, `config.layers`, and
 * `inbound_nodes` for functional models, in the Keras 2 / tfjs list form or the
 * Keras 3 `args` form. A bare topology without the `modelTopology` wrapper and
 * the older `model_config` wrapper are accepted too. The weights manifest is not
 * read: the spec needs only the hyper-parameters. Tensors are NHWC, like the studio's.
 */
import type { ActivationKind, InputShape, ModelSpec, Padding } from '../spec/layer-spec.ts';
import type { ModelFormat } from './model-format.ts';
import { ModelImportError } from './errors.ts';
import { isRecord, looksLikeJsonObject, parseJson, tryParseJson } from './json-file.ts';
import { SpecBuilder } from './spec-builder.ts';
import type { LayerFields } from './spec-builder.ts';

const MODEL_CLASSES = ['Sequential', 'Model', 'Functional'];

const ACTIVATIONS: Readonly<Record<string, ActivationKind>> = {
  relu: 'relu', relu6: 'relu6', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', linear: 'linear',
  elu: 'elu', selu: 'selu', softplus: 'softplus', swish: 'swish', silu: 'swish', leaky_relu: 'leakyrelu',
};

export const tfjsLayersFormat: ModelFormat = {
  id: 'tfjs-layers',
  description: 'TensorFlow.js Layers model.json / Keras model topology (Sequential, functional)',
  recognises(_fileName: string, bytes: Uint8Array): boolean {
    if (!looksLikeJsonObject(bytes)) return false;
    const json = tryParseJson(bytes);
    if (!isRecord(json)) return false;
    if (isRecord(json.modelTopology) || json.format === 'layers-model' || json.format === 'graph-model') return true;
    const topology = isRecord(json.model_config) ? json.model_config : json;
    return typeof topology.class_name === 'string' && MODEL_CLASSES.includes(topology.class_name) && (isRecord(topology.config) || Array.isArray(topology.config));
  },
  open(fileName: string, bytes: Uint8Array): ModelSpec {
    return parseTfjsModel(fileName, parseJson(fileName, bytes));
  },
};

/** A layer of the topology with where it sits, for error messages. */
interface KerasLayer {
  index: number;
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** Source names of the inbound tensors (functional models); undefined in a Sequential. */
  inbound?: string[];
  position: string;
}

export function parseTfjsModel(fileName: string, json: unknown): ModelSpec {
  const fail = (problem: string, position?: string): never => {
    throw new ModelImportError(fileName, problem, position);
  };
  if (!isRecord(json)) return fail('expected a JSON object');
  if (json.format === 'graph-model') {
    return fail('this is a TensorFlow.js graph model (format "graph-model"); the studio imports Layers models (format "layers-model")');
  }
  let topology: unknown = json.modelTopology ?? json;
  if (isRecord(topology) && isRecord(topology.model_config)) topology = topology.model_config;
  if (!isRecord(topology)) return fail('modelTopology is not an object', '$.modelTopology');
  const className = topology.class_name;
  if (typeof className !== 'string' || !MODEL_CLASSES.includes(className)) {
    return fail(`class_name ${JSON.stringify(className)} is not a model (expected ${MODEL_CLASSES.join(', ')})`, 'modelTopology.class_name');
  }
  const config = topology.config;
  const rawLayers = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(rawLayers)) return fail('expected a list of layers', 'modelTopology.config.layers');
  const modelName = isRecord(config) && typeof config.name === 'string' && config.name.length > 0 ? config.name : baseName(fileName);
  const functional = className !== 'Sequential';
  const layers = rawLayers.map((raw, index) => readLayer(raw, index, functional, fail));
  return functional ? buildFunctional(fileName, modelName, layers, config, fail) : buildSequential(fileName, modelName, layers, fail);
}

type Fail = (problem: string, position?: string) => never;

function readLayer(raw: unknown, index: number, functional: boolean, fail: Fail): KerasLayer {
  if (!isRecord(raw)) return fail('expected a layer object', `layer ${index}`);
  const className = typeof raw.class_name === 'string' ? raw.class_name : '?';
  const config = isRecord(raw.config) ? raw.config : {};
  const name = typeof raw.name === 'string' ? raw.name : typeof config.name === 'string' ? config.name : `layer_${index}`;
  const position = `layer ${index} '${name}' (${className})`;
  if (className === '?') fail('the layer has no class_name', position);
  const layer: KerasLayer = { index, className, name, config, position };
  if (functional) layer.inbound = inboundNames(raw.inbound_nodes, position, fail);
  return layer;
}

/**
 * The producers of a functional layer's one call. Keras 2 / tfjs write
 * `[[[name, nodeIndex, tensorIndex, kwargs], ...]]`; Keras 3 writes
 * `[{ args: [keras tensors], kwargs }]` with `config.keras_history = [name, node, tensor]`.
 */
function inboundNames(nodes: unknown, position: string, fail: Fail): string[] {
  if (nodes === undefined || (Array.isArray(nodes) && nodes.length === 0)) return [];
  if (!Array.isArray(nodes)) return fail('inbound_nodes is not a list', position);
  if (nodes.length > 1) return fail(`the layer is called ${nodes.length} times (shared layers are not supported)`, position);
  const node: unknown = nodes[0];
  const names: string[] = [];
  if (Array.isArray(node)) {
    for (const tensor of node) {
      if (!Array.isArray(tensor) || typeof tensor[0] !== 'string') fail('an inbound tensor is not [layer name, node, tensor]', position);
      names.push((tensor as unknown[])[0] as string);
    }
  } else if (isRecord(node)) {
    collectKerasHistory(node.args, names);
  } else {
    fail('inbound node is neither a list nor an object', position);
  }
  return names;
}

function collectKerasHistory(value: unknown, into: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v) => collectKerasHistory(v, into));
  } else if (isRecord(value)) {
    const history = isRecord(value.config) ? value.config.keras_history : undefined;
    if (value.class_name === '__keras_tensor__' && Array.isArray(history) && typeof history[0] === 'string') into.push(history[0]);
  }
}

function buildSequential(fileName: string, modelName: string, layers: KerasLayer[], fail: Fail): ModelSpec {
  const builder = new SpecBuilder(fileName);
  const inputShape = layers.length > 0 ? batchShape(layers[0], fail) : undefined;
  if (inputShape === undefined) return fail('the first layer has no batch_input_shape: the input shape is unknown', layers[0]?.position);
  let previous = '@input';
  builder.setInput(previous);
  for (const layer of layers) {
    if (layer.className === 'InputLayer') continue;
    convertLayer(builder, layer, [previous], fail);
    previous = layer.name;
  }
  return builder.build(modelName, inputShape);
}

function buildFunctional(fileName: string, modelName: string, layers: KerasLayer[], config: unknown, fail: Fail): ModelSpec {
  const builder = new SpecBuilder(fileName);
  const inputs = layers.filter((l) => l.className === 'InputLayer');
  if (inputs.length !== 1) return fail(`the model has ${inputs.length} inputs; the studio models one image input`);
  const inputShape = batchShape(inputs[0], fail);
  if (inputShape === undefined) return fail('the input layer has no batch_input_shape', inputs[0].position);
  builder.setInput(inputs[0].name);
  const outputs = isRecord(config) ? config.output_layers : undefined;
  // Keras 3 writes a single output as [name, 0, 0] rather than [[name, 0, 0]].
  const outputCount = Array.isArray(outputs) ? (typeof outputs[0] === 'string' ? 1 : outputs.length) : 1;
  if (outputCount !== 1) fail(`the model has ${outputCount} outputs; the studio models one output`, 'modelTopology.config.output_layers');
  for (const layer of layers) {
    if (layer.className === 'InputLayer') continue;
    convertLayer(builder, layer, layer.inbound ?? [], fail);
  }
  return builder.build(modelName, inputShape);
}

/** [H, W, C] from batch_input_shape / batch_shape (with the batch axis) or input_shape (without). */
function batchShape(layer: KerasLayer, fail: Fail): InputShape | undefined {
  const c = layer.config;
  const withBatch = c.batch_input_shape ?? c.batch_shape;
  const shape = Array.isArray(withBatch) ? withBatch.slice(1) : Array.isArray(c.input_shape) ? c.input_shape : undefined;
  if (shape === undefined) return undefined;
  if (shape.length !== 3 || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) {
    return fail(`input shape ${JSON.stringify(shape)} is not [height, width, channels] with known sizes`, layer.position);
  }
  if (c.data_format === 'channels_first') fail('data_format channels_first is not supported (NHWC only)', layer.position);
  return [shape[0], shape[1], shape[2]] as InputShape;
}

function convertLayer(builder: SpecBuilder, layer: KerasLayer, inputs: string[], fail: Fail): void {
  const c = layer.config;
  const at = layer.position;
  const add = (fields: LayerFields, id = layer.name, from = inputs, output = layer.name): void => {
    builder.add(id, fields, from, output, at);
  };
  if (c.data_format === 'channels_first') fail('data_format channels_first is not supported (NHWC only)', at);
  switch (layer.className) {
    case 'Conv2D': {
      checkDilation(c, at, fail);
      const groups = c.groups === undefined || c.groups === null ? 1 : positiveInt(c.groups, 'groups', at, fail);
      add({ type: 'conv', kernel: square(c.kernel_size, 'kernel_size', at, fail), stride: square(c.strides ?? 1, 'strides', at, fail),
        padding: padding(c.padding, at, fail), outChannels: positiveInt(c.filters, 'filters', at, fail),
        groups: groups === 1 ? undefined : groups, activation: fusedActivation(c.activation, at, fail), useBias: useBias(c) });
      return;
    }
    case 'DepthwiseConv2D': {
      checkDilation(c, at, fail);
      const multiplier = c.depth_multiplier === undefined ? 1 : positiveInt(c.depth_multiplier, 'depth_multiplier', at, fail);
      add({ type: 'depthwise', kernel: square(c.kernel_size, 'kernel_size', at, fail), stride: square(c.strides ?? 1, 'strides', at, fail),
        padding: padding(c.padding, at, fail), depthMultiplier: multiplier === 1 ? undefined : multiplier,
        activation: fusedActivation(c.activation, at, fail), useBias: useBias(c) });
      return;
    }
    case 'SeparableConv2D': {
      // A depthwise conv (no bias) then a 1x1 pointwise conv with the layer's bias and activation, as Keras computes it.
      checkDilation(c, at, fail);
      const multiplier = c.depth_multiplier === undefined ? 1 : positiveInt(c.depth_multiplier, 'depth_multiplier', at, fail);
      const depthwiseOut = `${layer.name}/depthwise`;
      add({ type: 'depthwise', kernel: square(c.kernel_size, 'kernel_size', at, fail), stride: square(c.strides ?? 1, 'strides', at, fail),
        padding: padding(c.padding, at, fail), depthMultiplier: multiplier === 1 ? undefined : multiplier, useBias: false },
      `${layer.name}_depthwise`, inputs, depthwiseOut);
      add({ type: 'conv', kernel: 1, outChannels: positiveInt(c.filters, 'filters', at, fail),
        activation: fusedActivation(c.activation, at, fail), useBias: useBias(c) }, layer.name, [depthwiseOut]);
      return;
    }
    case 'Dense':
      add({ type: 'fc', outChannels: positiveInt(c.units, 'units', at, fail), activation: fusedActivation(c.activation, at, fail), useBias: useBias(c) });
      return;
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const kernel = square(c.pool_size ?? 2, 'pool_size', at, fail);
      const stride = c.strides === undefined || c.strides === null ? kernel : square(c.strides, 'strides', at, fail);
      add({ type: layer.className === 'MaxPooling2D' ? 'maxpool' : 'avgpool', kernel, stride, padding: padding(c.padding, at, fail) });
      return;
    }
    case 'GlobalAveragePooling2D':
      if (c.keepdims === true) fail('keepdims true is not supported (the studio\'s gap gives a vector)', at);
      add({ type: 'gap' });
      return;
    case 'BatchNormalization':
      if (c.axis !== undefined && c.axis !== -1 && c.axis !== 3 && !(Array.isArray(c.axis) && c.axis.length === 1 && (c.axis[0] === -1 || c.axis[0] === 3))) {
        fail(`normalisation axis ${JSON.stringify(c.axis)} is not the channel axis`, at);
      }
      add({ type: 'bn' });
      return;
    case 'Activation':
      add({ type: 'activation', activation: activation(c.activation, at, fail) });
      return;
    case 'ReLU':
      add({ type: 'activation', activation: reluKind(c, at, fail) });
      return;
    case 'LeakyReLU':
      add({ type: 'activation', activation: 'leakyrelu' });
      return;
    case 'Softmax':
      add({ type: 'activation', activation: 'softmax' });
      return;
    case 'Add':
      add({ type: 'add' });
      return;
    case 'Concatenate':
      if (c.axis !== undefined && c.axis !== -1 && c.axis !== 3) fail(`concatenation axis ${JSON.stringify(c.axis)} is not the channel axis (-1)`, at);
      add({ type: 'concat' });
      return;
    case 'Flatten':
      add({ type: 'flatten' });
      return;
    case 'Dropout':
      add({ type: 'dropout', rate: typeof c.rate === 'number' ? c.rate : undefined });
      return;
    case 'Sequential':
    case 'Model':
    case 'Functional':
      fail('nested models are not supported: flatten the model into one list of layers', at);
      return;
    default:
      fail(`layer type ${layer.className} is not supported (supported: InputLayer, Conv2D, DepthwiseConv2D, SeparableConv2D, Dense, ` +
        'MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, BatchNormalization, Activation, ReLU, LeakyReLU, Softmax, Add, Concatenate, Flatten, Dropout)', at);
  }
}

/** A kernel size or stride: an int, or a pair that must be square. */
function square(value: unknown, field: string, at: string, fail: Fail): number {
  const pair = Array.isArray(value) ? value : [value, value];
  if (pair.length !== 2 || !pair.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0)) {
    return fail(`${field} ${JSON.stringify(value)} is not a positive integer or a pair of them`, at);
  }
  if (pair[0] !== pair[1]) return fail(`${field} ${JSON.stringify(value)} is not square; the studio models square kernels and strides only`, at);
  return pair[0] as number;
}

function positiveInt(value: unknown, field: string, at: string, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return fail(`${field} ${JSON.stringify(value)} is not a positive integer`, at);
  return value;
}

function padding(value: unknown, at: string, fail: Fail): Padding {
  if (value === undefined || value === 'valid') return 0;
  if (value === 'same') return 'same';
  return fail(`padding ${JSON.stringify(value)} is not supported (same or valid)`, at);
}

function checkDilation(c: Record<string, unknown>, at: string, fail: Fail): void {
  const d = c.dilation_rate;
  if (d === undefined || d === null || d === 1) return;
  if (Array.isArray(d) && d.every((x) => x === 1)) return;
  fail(`dilation_rate ${JSON.stringify(d)} is not supported (1 only)`, at);
}

function useBias(c: Record<string, unknown>): boolean | undefined {
  return c.use_bias === false ? false : undefined;
}

function activationName(value: unknown): unknown {
  // Keras 3 may serialise an activation as { class_name, config: { name } }, or a function reference.
  if (isRecord(value)) return isRecord(value.config) && typeof value.config.name === 'string' ? value.config.name : value.class_name;
  return value;
}

function activation(value: unknown, at: string, fail: Fail): ActivationKind {
  const name = activationName(value);
  const kind = typeof name === 'string' ? ACTIVATIONS[name.toLowerCase()] : undefined;
  if (kind === undefined) return fail(`activation ${JSON.stringify(name)} is not supported (${Object.keys(ACTIVATIONS).join(', ')})`, at);
  return kind;
}

/** A fused activation; 'linear' (none) is left out of the spec. */
function fusedActivation(value: unknown, at: string, fail: Fail): ActivationKind | undefined {
  if (value === undefined || value === null) return undefined;
  const kind = activation(value, at, fail);
  return kind === 'linear' ? undefined : kind;
}

function reluKind(c: Record<string, unknown>, at: string, fail: Fail): ActivationKind {
  const max = c.max_value;
  const slope = c.negative_slope ?? 0;
  const threshold = c.threshold ?? 0;
  if (threshold !== 0) fail(`ReLU threshold ${JSON.stringify(threshold)} is not supported`, at);
  if (slope !== 0) {
    if (max !== undefined && max !== null) fail('ReLU with both negative_slope and max_value is not supported', at);
    return 'leakyrelu';
  }
  if (max === undefined || max === null) return 'relu';
  if (max === 6) return 'relu6';
  return fail(`ReLU max_value ${JSON.stringify(max)} is not supported (none or 6)`, at);
}

function baseName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  return name.replace(/\.json$/i, '') || 'model';
}
