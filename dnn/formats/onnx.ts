/**
 * ONNX models: the graph's nodes become spec layers. Convolution output
 * channels and FC units come from the initializers' weight shapes; the input
 * is NCHW (ONNX's own layout), or NHWC when it is first transposed to NCHW (as
 * tf2onnx writes), and becomes the studio's [H, W, C].
 */
import type { ActivationKind, InputShape, ModelSpec, Padding } from '../spec/layer-spec.ts';
import type { ModelFormat } from './model-format.ts';
import { ModelImportError } from './errors.ts';
import { ProtobufError } from './protobuf-reader.ts';
import { decodeOnnxModel, tensorValues } from './onnx-decode.ts';
import type { OnnxAttribute, OnnxGraph, OnnxNode, OnnxTensor } from './onnx-decode.ts';
import { SpecBuilder } from './spec-builder.ts';
import type { LayerFields } from './spec-builder.ts';

const NCHW_TO_NHWC = '0,2,3,1';
const NHWC_TO_NCHW = '0,3,1,2';

const SIMPLE_ACTIVATIONS: Readonly<Record<string, ActivationKind>> = {
  Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softmax: 'softmax', LeakyRelu: 'leakyrelu', Elu: 'elu', Selu: 'selu', Softplus: 'softplus',
};

const SUPPORTED_OPS = [
  'Conv', 'Gemm', 'MatMul', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'BatchNormalization', 'Relu', 'Clip', 'Sigmoid', 'Tanh',
  'Softmax', 'LeakyRelu', 'Elu', 'Selu', 'Softplus', 'Add', 'Concat', 'Flatten', 'Reshape', 'Dropout', 'Identity', 'Transpose', 'Constant',
];

export const onnxFormat: ModelFormat = {
  id: 'onnx',
  description: 'ONNX model (.onnx, protobuf ModelProto)',
  recognises(fileName: string, bytes: Uint8Array): boolean {
    if (/\.onnx$/i.test(fileName)) return true;
    // A ModelProto starts with ir_version (field 1, varint: byte 0x08) followed by a small version number.
    return bytes.length > 2 && bytes[0] === 0x08 && bytes[1] >= 3 && bytes[1] <= 20 && looksLikeModelTag(bytes[2]);
  },
  open(fileName: string, bytes: Uint8Array): ModelSpec {
    return parseOnnxModel(fileName, bytes);
  },
};

/** Tags that may follow ir_version in a ModelProto: producer_name, producer_version, domain, model_version, doc_string, graph, opset_import. */
function looksLikeModelTag(byte: number): boolean {
  return [0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42].includes(byte);
}

export function parseOnnxModel(fileName: string, bytes: Uint8Array): ModelSpec {
  return parseOnnxGraph(fileName, bytes).spec;
}

/** A weighted layer's ONNX node and the constants it reads (initializers, Constant nodes, Identity of either). */
export interface OnnxWeightSource {
  layerId: string;
  node: OnnxNode;
  /** For an fc: the constant bias a following Add folded into a MatMul. */
  foldedBias?: OnnxTensor;
  constants: ReadonlyMap<string, OnnxTensor>;
  /** Where the node is, for errors. */
  at: string;
}

/** The spec and, per weighted layer (conv, depthwise, fc, bn), where its weights are. */
export function parseOnnxGraph(fileName: string, bytes: Uint8Array): { spec: ModelSpec; graph: OnnxGraph; sources: OnnxWeightSource[]; nodeOfLayer: ReadonlyMap<string, OnnxNode> } {
  const fail = (problem: string, position?: string): never => {
    throw new ModelImportError(fileName, problem, position);
  };
  if (bytes.length === 0) fail('the file is empty');
  let graph: OnnxGraph | undefined;
  try {
    const model = decodeOnnxModel(bytes);
    if (model.irVersion === 0) fail('not an ONNX model: no ir_version field');
    graph = model.graph;
  } catch (error) {
    if (error instanceof ProtobufError) fail(`not a valid ONNX protobuf (truncated or corrupt): ${error.message}`);
    throw error;
  }
  if (graph === undefined || graph.nodes.length === 0) return fail('the ONNX model has no graph nodes');
  const sources: OnnxWeightSource[] = [];
  const nodeOfLayer = new Map<string, OnnxNode>();
  const spec = convertGraph(fileName, graph, fail, sources, nodeOfLayer);
  return { spec, graph, sources, nodeOfLayer };
}

type Fail = (problem: string, position?: string) => never;

function convertGraph(fileName: string, graph: OnnxGraph, fail: Fail, sources: OnnxWeightSource[], nodeOfLayer: Map<string, OnnxNode>): ModelSpec {
  const constants = new Map<string, OnnxTensor>(graph.initializers);
  const dataInputs = graph.inputs.filter((i) => !constants.has(i.name));
  if (dataInputs.length !== 1) fail(`the graph has ${dataInputs.length} data inputs (${dataInputs.map((i) => i.name).join(', ')}); the studio models one image input`);
  const input = dataInputs[0];
  const builder = new SpecBuilder(fileName);
  builder.setInput(input.name);
  const inputShape = inputShapeOf(graph, input.name, input.dims, fail);

  const inputHw = (name: string, at: string): readonly number[] => builder.shapeOf(name, inputShape, at);
  graph.nodes.forEach((node, index) => {
    const at = `node ${index} '${node.name}' (op ${node.opType})`;
    convertNode(builder, node, index, at, constants, inputHw, fail, sources, nodeOfLayer);
  });
  return builder.build(graph.name.length > 0 ? graph.name : baseName(fileName), inputShape);
}

/** [H, W, C] from the input dims: NHWC when the input is first transposed to NCHW, else NCHW. */
function inputShapeOf(graph: OnnxGraph, name: string, dims: (number | string | undefined)[] | undefined, fail: Fail): InputShape {
  const at = `graph input '${name}'`;
  if (dims === undefined) return fail('the input has no tensor shape', at);
  if (dims.length !== 4) return fail(`the input has ${dims.length} dims [${dims.join(', ')}]; the studio models a 4-D image batch (NCHW or NHWC)`, at);
  const [, d1, d2, d3] = dims;
  if (![d1, d2, d3].every((d) => typeof d === 'number' && d > 0)) return fail(`input dims [${dims.join(', ')}] must be known sizes (only the batch may be symbolic)`, at);
  const nhwc = graph.nodes.some((n) => n.opType === 'Transpose' && n.inputs[0] === name && permOf(n) === NHWC_TO_NCHW);
  return (nhwc ? [d1, d2, d3] : [d2, d3, d1]) as unknown as InputShape;
}

/** The [H, W, C] shape of the tensor a node reads, for pads that need it. */
type ShapeOf = (sourceName: string, at: string) => readonly number[];

/** PyTorch names nodes `/module/Op` (`/features/0/Conv`): the module path is the better id. */
function preferredId(node: OnnxNode, index: number): string {
  const torch = /^\/(.+)\/[A-Za-z]+(?:_\d+)?$/.exec(node.name);
  if (torch !== null) return torch[1].replace(/\//g, '.');
  return node.name.length > 0 ? node.name : `${node.opType}_${index}`;
}

const WEIGHTED_OPS: ReadonlySet<string> = new Set(['Conv', 'Gemm', 'MatMul', 'BatchNormalization']);

function convertNode(
  builder: SpecBuilder, node: OnnxNode, index: number, at: string, constants: Map<string, OnnxTensor>, shapeOf: ShapeOf, fail: Fail,
  sources: OnnxWeightSource[], nodeOfLayer: Map<string, OnnxNode>,
): void {
  if (node.domain !== '' && node.domain !== 'ai.onnx') {
    fail(`operator ${node.domain}.${node.opType} is not supported (standard ONNX domain only)`, at);
  }
  const id = preferredId(node, index);
  const output = node.outputs[0] ?? '';
  const x = node.inputs[0] ?? '';
  const add = (fields: LayerFields, inputs: string[] = [x]): void => {
    const layerId = builder.add(id, fields, inputs, output, at);
    nodeOfLayer.set(layerId, node);
    if (WEIGHTED_OPS.has(node.opType)) sources.push({ layerId, node, constants, at });
  };
  const attr = (name: string): OnnxAttribute | undefined => node.attributes.get(name);
  const constant = (name: string | undefined): OnnxTensor | undefined => (name === undefined || name === '' ? undefined : constants.get(name));

  const simple = SIMPLE_ACTIVATIONS[node.opType];
  if (simple !== undefined) {
    add({ type: 'activation', activation: simple });
    return;
  }
  switch (node.opType) {
    case 'Constant': {
      const value = attr('value')?.t ?? scalarConstant(node);
      if (value === undefined) fail('only tensor constants (value, value_float, value_int, value_ints) are supported', at);
      constants.set(output, value as OnnxTensor);
      return;
    }
    case 'Identity': {
      // PyTorch writes Identity nodes over initializers (batch-norm statistics).
      const c = constant(x);
      if (c !== undefined) constants.set(output, c);
      else builder.alias(output, x, at);
      return;
    }
    case 'Transpose': {
      // Between NHWC and NCHW only: the studio's spec is layout-free, so a layout transpose is a pass-through.
      const perm = permOf(node);
      if (perm !== NHWC_TO_NCHW && perm !== NCHW_TO_NHWC) fail(`Transpose perm [${perm}] is not a layout change between NHWC and NCHW`, at);
      builder.alias(output, x, at);
      return;
    }
    case 'Conv':
      add(convFields(node, constant(node.inputs[1]), node.inputs.length > 2 && node.inputs[2] !== '', () => shapeOf(x, at), at, fail));
      return;
    case 'Gemm': {
      const w = constant(node.inputs[1]);
      if (w === undefined || w.dims.length !== 2) return fail('the weight B must be a 2-D initializer', at);
      if ((attr('transA')?.i ?? 0) !== 0) fail('transA = 1 is not supported', at);
      const units = (attr('transB')?.i ?? 0) === 1 ? w.dims[0] : w.dims[1];
      add({ type: 'fc', outChannels: units, useBias: node.inputs.length > 2 && node.inputs[2] !== '' ? undefined : false });
      return;
    }
    case 'MatMul': {
      const w = constant(node.inputs[1]);
      if (w === undefined || w.dims.length !== 2) return fail('the second operand must be a 2-D initializer (a fully connected layer)', at);
      // No bias yet: a following Add of a constant folds into this layer.
      add({ type: 'fc', outChannels: w.dims[1], useBias: false });
      return;
    }
    case 'Add': {
      const [a, b] = node.inputs;
      const constA = constant(a);
      const constB = constant(b);
      if (constA === undefined && constB === undefined) {
        add({ type: 'add' }, [a, b]);
        return;
      }
      const source = constA === undefined ? a : b;
      const producer = builder.layer(builder.resolve(source, at));
      if (producer === undefined || producer.type !== 'fc' || producer.useBias !== false) {
        return fail('Add of a constant is supported only as the bias of a MatMul', at);
      }
      delete producer.useBias;
      const folded = sources.find((w) => w.layerId === producer.id);
      if (folded !== undefined) folded.foldedBias = constA ?? constB;
      builder.alias(output, source, at);
      return;
    }
    case 'MaxPool':
    case 'AveragePool':
      add(poolFields(node, () => shapeOf(x, at), at, fail));
      return;
    case 'GlobalAveragePool':
      add({ type: 'gap' });
      return;
    case 'BatchNormalization':
      add({ type: 'bn' });
      return;
    case 'Clip':
      add({ type: 'activation', activation: clipKind(node, constant, at, fail) });
      return;
    case 'Concat': {
      const axis = attr('axis')?.i;
      if (axis !== 1 && axis !== -3) fail(`Concat axis ${String(axis)} is not the channel axis (1 in NCHW)`, at);
      add({ type: 'concat' }, node.inputs);
      return;
    }
    case 'Flatten': {
      const axis = attr('axis')?.i ?? 1;
      if (axis !== 1) fail(`Flatten axis ${axis} is not supported (1: keep the batch axis)`, at);
      add({ type: 'flatten' });
      return;
    }
    case 'Reshape': {
      const shape = constant(node.inputs[1]);
      const values = shape === undefined ? undefined : tensorValues(shape);
      if (values === undefined || values.length !== 2) {
        fail(`Reshape is supported only as a flatten to [batch, features] with a constant shape, got ${values === undefined ? 'a computed shape' : `[${values.join(', ')}]`}`, at);
      }
      add({ type: 'flatten' });
      return;
    }
    case 'Dropout': {
      const ratio = attr('ratio')?.f ?? tensorValues(constant(node.inputs[1]) ?? emptyTensor())?.[0];
      add({ type: 'dropout', rate: ratio });
      return;
    }
    default:
      fail(`operator ${node.opType} is not supported (supported: ${SUPPORTED_OPS.join(', ')})`, at);
  }
}

function convFields(node: OnnxNode, w: OnnxTensor | undefined, hasBias: boolean, inputShape: () => readonly number[], at: string, fail: Fail): LayerFields {
  if (w === undefined || w.dims.length !== 4) return fail('the weight W must be a 4-D initializer [M, C/group, kH, kW] (2-D convolution)', at);
  const [m, cPerGroup, kh, kw] = w.dims;
  const kernelShape = node.attributes.get('kernel_shape')?.ints;
  const kernel = squarePair(kernelShape !== undefined && kernelShape.length > 0 ? kernelShape : [kh, kw], 'kernel_shape', at, fail);
  const { stride, padding } = windowFields(node, kernel, inputShape, at, fail);
  const group = node.attributes.get('group')?.i ?? 1;
  const useBias = hasBias ? undefined : false;
  if (group > 1 && cPerGroup === 1) {
    // One input channel per group: a depthwise conv (C_in = group), M / group outputs per channel.
    const multiplier = m / group;
    if (!Number.isInteger(multiplier)) fail(`depthwise output channels ${m} are not a multiple of group ${group}`, at);
    return { type: 'depthwise', kernel, stride, padding, depthMultiplier: multiplier === 1 ? undefined : multiplier, useBias };
  }
  return { type: 'conv', kernel, stride, padding, outChannels: m, groups: group === 1 ? undefined : group, useBias };
}

function poolFields(node: OnnxNode, inputShape: () => readonly number[], at: string, fail: Fail): LayerFields {
  const kernel = squarePair(node.attributes.get('kernel_shape')?.ints ?? [], 'kernel_shape', at, fail);
  if ((node.attributes.get('ceil_mode')?.i ?? 0) !== 0) fail('ceil_mode = 1 is not supported (floor only)', at);
  const { stride, padding } = windowFields(node, kernel, inputShape, at, fail);
  // ONNX pooling strides default to 1, the studio's to the kernel: always write it.
  return { type: node.opType === 'MaxPool' ? 'maxpool' : 'avgpool', kernel, stride, padding };
}

/** Stride and padding of a Conv or pool: strides, dilations, pads or auto_pad. */
function windowFields(node: OnnxNode, kernel: number, inputShape: () => readonly number[], at: string, fail: Fail): { stride: number; padding: Padding } {
  const strides = node.attributes.get('strides')?.ints;
  const stride = strides === undefined || strides.length === 0 ? 1 : squarePair(strides, 'strides', at, fail);
  const dilations = node.attributes.get('dilations')?.ints ?? [];
  if (dilations.some((d) => d !== 1)) fail(`dilations [${dilations.join(', ')}] are not supported (1 only)`, at);
  const autoPadBytes = node.attributes.get('auto_pad')?.s;
  const autoPad = autoPadBytes === undefined ? 'NOTSET' : new TextDecoder().decode(autoPadBytes);
  if (autoPad === 'SAME_UPPER') return { stride, padding: 'same' }; // TensorFlow's SAME: the extra pixel at the end
  if (autoPad === 'VALID') return { stride, padding: 0 };
  if (autoPad !== 'NOTSET' && autoPad !== '') fail(`auto_pad ${autoPad} is not supported (NOTSET, VALID, SAME_UPPER)`, at);
  const pads = node.attributes.get('pads')?.ints ?? [];
  if (pads.length === 0) return { stride, padding: 0 };
  if (pads.length === 4 && pads.some((p) => p !== pads[0]) && padsAreSame(pads, kernel, stride, inputShape())) return { stride, padding: 'same' };
  if (pads.length !== 4 || pads.some((p) => p !== pads[0])) {
    fail(`pads [${pads.join(', ')}] are not the same on every side; the studio models symmetric padding`, at);
  }
  return { stride, padding: pads[0] };
}

/**
 * Whether explicit pads [top, left, bottom, right] are TensorFlow's SAME for this
 * input (tf2onnx writes SAME as explicit, often asymmetric, pads): per axis the
 * total is max((ceil(in / s) - 1) * s + k - in, 0), the smaller half first.
 */
function padsAreSame(pads: number[], kernel: number, stride: number, shape: readonly number[]): boolean {
  if (shape.length !== 3) return false;
  return [0, 1].every((axis) => {
    const size = shape[axis];
    const total = Math.max((Math.ceil(size / stride) - 1) * stride + kernel - size, 0);
    return pads[axis] === Math.floor(total / 2) && pads[axis + 2] === total - Math.floor(total / 2);
  });
}

function squarePair(values: number[], field: string, at: string, fail: Fail): number {
  if (values.length !== 2 || !values.every((v) => Number.isInteger(v) && v > 0)) {
    return fail(`${field} [${values.join(', ')}] is not a 2-D size (1-D and 3-D windows are not supported)`, at);
  }
  if (values[0] !== values[1]) return fail(`${field} [${values.join(', ')}] is not square; the studio models square kernels and strides only`, at);
  return values[0];
}

/** Clip as an activation: [0, 6] is relu6, [0, +inf) relu. Bounds are attributes (opset < 11) or constant inputs. */
function clipKind(node: OnnxNode, constant: (name: string | undefined) => OnnxTensor | undefined, at: string, fail: Fail): ActivationKind {
  const bound = (attribute: string, inputIndex: number, fallback: number): number => {
    const a = node.attributes.get(attribute)?.f;
    if (a !== undefined) return a;
    const name = node.inputs[inputIndex];
    if (name === undefined || name === '') return fallback;
    const t = constant(name);
    const v = t === undefined ? undefined : tensorValues(t)?.[0];
    if (v === undefined) return fail(`Clip ${attribute} '${name}' must be a constant (an initializer or a Constant node)`, at);
    return v;
  };
  const min = bound('min', 1, -Infinity);
  const max = bound('max', 2, Infinity);
  if (min === 0 && max === 6) return 'relu6';
  if (min === 0 && max === Infinity) return 'relu';
  return fail(`Clip [${min}, ${max}] is not supported as an activation ([0, 6] as relu6, [0, inf) as relu)`, at);
}

function scalarConstant(node: OnnxNode): OnnxTensor | undefined {
  const f = node.attributes.get('value_float')?.f;
  const i = node.attributes.get('value_int')?.i;
  const ints = node.attributes.get('value_ints')?.ints;
  const t = emptyTensor();
  if (f !== undefined) return { ...t, dataType: 1, floatData: [f] };
  if (i !== undefined) return { ...t, dataType: 7, int64Data: [i] };
  if (ints !== undefined && ints.length > 0) return { ...t, dims: [ints.length], dataType: 7, int64Data: ints };
  return undefined;
}

function emptyTensor(): OnnxTensor {
  return { name: '', dims: [], dataType: 0, floatData: [], int32Data: [], int64Data: [], doubleData: [] };
}

function permOf(node: OnnxNode): string {
  return (node.attributes.get('perm')?.ints ?? []).join(',');
}

function baseName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  return name.replace(/\.onnx$/i, '') || 'model';
}

