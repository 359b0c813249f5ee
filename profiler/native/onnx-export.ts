/**
 * Writes a model spec (a one-layer benchmark case, or a small chain or DAG) as an
 * ONNX model for native tools (onnxruntime_perf_test, trtexec): opset 13, NCHW,
 * batch 1, float32, one input named `input`, one output named `output`, weights
 * from a seeded generator. Written with the wire-format writer, no ONNX library.
 */
import type { LayerSpec, ModelSpec, TensorShape } from '../../dnn/spec/layer-spec.ts';
import { analyzeModel, MODEL_INPUT_ID } from '../../dnn/spec/analyze.ts';
import type { LayerAnalysis } from '../../dnn/spec/analyze.ts';
import { ProtobufWriter } from './protobuf-writer.ts';
import { seededWeights } from './seeded-weights.ts';
import type { WeightSource } from './seeded-weights.ts';
import { axisPads } from './same-padding.ts';
import { ModelExportError } from './export-errors.ts';

export const ONNX_INPUT_NAME = 'input';
export const ONNX_OUTPUT_NAME = 'output';
/** Between a node name's layer id and its op (`conv1/Conv_0`). */
export const ONNX_LAYER_MARK = '/';
const OPSET = 13;
const IR_VERSION = 7; // the IR that goes with opset 13 (ONNX 1.8)
const FLOAT = 1;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

interface OnnxNodeDraft {
  op: string;
  /** The studio layer the node belongs to: named `<layer id>/<op>_<index>`, so a runtime's per-node profile maps back to layers. */
  layer?: string;
  inputs: string[];
  outputs: string[];
  ints?: Record<string, number[]>;
  int?: Record<string, number>;
  float?: Record<string, number>;
}

interface Initializer {
  name: string;
  dims: number[];
  values: Float32Array;
}

/** The studio's [H, W, C] or [N] as ONNX NCHW with batch 1: [1, C, H, W] or [1, N]. */
export function toNchw(shape: TensorShape): number[] {
  return shape.length === 3 ? [1, shape[2], shape[0], shape[1]] : [1, ...shape];
}

export function exportOnnx(spec: ModelSpec, weights: WeightSource = seededWeights(1)): Uint8Array {
  const analysis = analyzeModel(spec);
  const nodes: OnnxNodeDraft[] = [];
  const inits: Initializer[] = [];
  const last = analysis.layers.length - 1;
  const tensorOf = (id: string): string => (id === MODEL_INPUT_ID ? ONNX_INPUT_NAME : id === analysis.layers[last].layer.id ? ONNX_OUTPUT_NAME : `t_${id}`);
  for (const la of analysis.layers) {
    const fail = (problem: string): never => {
      throw new ModelExportError('ONNX', spec.name, la.layer.id, problem);
    };
    const from = nodes.length;
    layerNodes(la, la.inputIds.map(tensorOf), tensorOf(la.layer.id), weights, nodes, inits, fail);
    for (const n of nodes.slice(from)) n.layer = la.layer.id;
  }
  return writeModel(spec, analysis.outputShape, nodes, inits);
}

type Fail = (problem: string) => never;

function layerNodes(la: LayerAnalysis, inputs: string[], output: string, weights: WeightSource, nodes: OnnxNodeDraft[], inits: Initializer[], fail: Fail): void {
  const { layer } = la;
  const x = inputs[0];
  const inShape = la.inputShapes[0];
  const constant = (suffix: string, dims: number[], values: Float32Array): string => {
    const name = `${layer.id}_${suffix}`;
    inits.push({ name, dims, values });
    return name;
  };
  // Conv, depthwise and FC write their own output, or an intermediate one when an activation follows.
  const fusedAct = layer.activation !== undefined && layer.activation !== 'linear' && layer.type !== 'activation';
  const mainOut = fusedAct ? `${output}_pre` : output;
  switch (layer.type) {
    case 'conv':
    case 'depthwise': {
      const [h, w, cIn] = inShape;
      const cOut = la.outputShape[2];
      const k = layer.kernel ?? fail('no kernel');
      const s = layer.stride ?? 1;
      const groups = layer.type === 'depthwise' ? cIn : layer.groups ?? 1;
      const W = constant('W', [cOut, cIn / groups, k, k], weights(cOut * (cIn / groups) * k * k));
      const convInputs = [x, W];
      if (layer.useBias !== false) convInputs.push(constant('B', [cOut], weights(cOut)));
      nodes.push({ op: 'Conv', inputs: convInputs, outputs: [mainOut], ints: { kernel_shape: [k, k], strides: [s, s], pads: pads(h, w, k, s, layer) }, int: { group: groups } });
      break;
    }
    case 'fc': {
      const n = inShape[0];
      const units = la.outputShape[0];
      const gemmInputs = [x, constant('W', [units, n], weights(units * n))];
      if (layer.useBias !== false) gemmInputs.push(constant('B', [units], weights(units)));
      nodes.push({ op: 'Gemm', inputs: gemmInputs, outputs: [mainOut], int: { transB: 1 } });
      break;
    }
    case 'maxpool':
    case 'avgpool': {
      const [h, w] = inShape;
      const k = layer.kernel ?? fail('no kernel');
      const s = layer.stride ?? k;
      nodes.push({ op: layer.type === 'maxpool' ? 'MaxPool' : 'AveragePool', inputs: [x], outputs: [mainOut], ints: { kernel_shape: [k, k], strides: [s, s], pads: pads(h, w, k, s, layer) } });
      break;
    }
    case 'gap':
      nodes.push({ op: 'GlobalAveragePool', inputs: [x], outputs: [`${output}_gap`] });
      nodes.push({ op: 'Flatten', inputs: [`${output}_gap`], outputs: [mainOut], int: { axis: 1 } });
      break;
    case 'bn': {
      const c = inShape[inShape.length - 1];
      const variance = weights(c).map((v) => v + 1); // positive: (-0.5, 0.5] + 1
      nodes.push({
        op: 'BatchNormalization',
        inputs: [x, constant('scale', [c], weights(c)), constant('bias', [c], weights(c)), constant('mean', [c], weights(c)), constant('var', [c], variance)],
        outputs: [mainOut],
        float: { epsilon: 1e-3 },
      });
      break;
    }
    case 'activation':
      activationNodes(layer, x, output, inShape.length, nodes, inits, fail);
      return;
    case 'flatten':
      nodes.push({ op: 'Flatten', inputs: [x], outputs: [mainOut], int: { axis: 1 } });
      break;
    case 'dropout':
      nodes.push({ op: 'Identity', inputs: [x], outputs: [mainOut] });
      break;
    case 'add':
      nodes.push({ op: 'Sum', inputs, outputs: [mainOut] });
      break;
    case 'concat':
      nodes.push({ op: 'Concat', inputs, outputs: [mainOut], int: { axis: 1 } });
      break;
    default:
      fail(`layer type '${String(layer.type)}' has no ONNX export`);
  }
  if (fusedAct) activationNodes(layer, mainOut, output, la.outputShape.length, nodes, inits, fail);
}

/** ONNX pads [top, left, bottom, right]. */
function pads(h: number, w: number, k: number, s: number, layer: LayerSpec): number[] {
  const p = layer.padding ?? 0;
  const [top, bottom] = axisPads(h, k, s, p);
  const [left, right] = axisPads(w, k, s, p);
  return [top, left, bottom, right];
}

function activationNodes(layer: LayerSpec, x: string, output: string, rank: number, nodes: OnnxNodeDraft[], inits: Initializer[], fail: Fail): void {
  const fn = layer.activation ?? 'relu';
  const simple: Record<string, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', elu: 'Elu', selu: 'Selu', softplus: 'Softplus', linear: 'Identity' };
  if (fn in simple) {
    nodes.push({ op: simple[fn], inputs: [x], outputs: [output] });
  } else if (fn === 'relu6') {
    // Clip takes its bounds as inputs from opset 11 on.
    inits.push({ name: `${layer.id}_min`, dims: [], values: Float32Array.of(0) }, { name: `${layer.id}_max`, dims: [], values: Float32Array.of(6) });
    nodes.push({ op: 'Clip', inputs: [x, `${layer.id}_min`, `${layer.id}_max`], outputs: [output] });
  } else if (fn === 'leakyrelu') {
    nodes.push({ op: 'LeakyRelu', inputs: [x], outputs: [output], float: { alpha: 0.3 } });
  } else if (fn === 'softmax') {
    // Over channels: axis 1 in NCHW and in [1, N].
    nodes.push({ op: 'Softmax', inputs: [x], outputs: [output], int: { axis: rank === 3 ? 1 : -1 } });
  } else if (fn === 'swish') {
    nodes.push({ op: 'Sigmoid', inputs: [x], outputs: [`${output}_sig`] }, { op: 'Mul', inputs: [x, `${output}_sig`], outputs: [output] });
  } else {
    fail(`activation '${fn}' has no ONNX export`);
  }
}

function writeModel(spec: ModelSpec, outputShape: TensorShape, nodes: OnnxNodeDraft[], inits: Initializer[]): Uint8Array {
  const w = new ProtobufWriter();
  w.varint(1, IR_VERSION).string(2, 'edgetree-studio').string(3, '0.1');
  w.message(7, (g) => {
    nodes.forEach((n, i) => g.message(1, (nw) => writeNode(nw, n, i)));
    g.string(2, spec.name);
    for (const t of inits) g.message(5, (tw) => writeTensor(tw, t));
    g.message(11, (vi) => writeValueInfo(vi, ONNX_INPUT_NAME, toNchw(spec.inputShape)));
    g.message(12, (vi) => writeValueInfo(vi, ONNX_OUTPUT_NAME, toNchw(outputShape)));
  });
  w.message(8, (o) => o.string(1, '').varint(2, OPSET));
  return w.finish();
}

function writeNode(w: ProtobufWriter, n: OnnxNodeDraft, index: number): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${n.layer === undefined ? '' : `${n.layer}${ONNX_LAYER_MARK}`}${n.op}_${index}`).string(4, n.op);
  for (const [name, values] of Object.entries(n.ints ?? {})) w.message(5, (a) => a.string(1, name).packedVarints(8, values).varint(20, ATTR_INTS));
  for (const [name, value] of Object.entries(n.int ?? {})) w.message(5, (a) => a.string(1, name).varint(3, value).varint(20, ATTR_INT));
  for (const [name, value] of Object.entries(n.float ?? {})) w.message(5, (a) => a.string(1, name).float(2, value).varint(20, ATTR_FLOAT));
}

function writeTensor(w: ProtobufWriter, t: Initializer): void {
  w.packedVarints(1, t.dims).varint(2, FLOAT).string(8, t.name);
  w.bytes(9, new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));
}

function writeValueInfo(w: ProtobufWriter, name: string, dims: number[]): void {
  w.string(1, name);
  w.message(2, (type) => type.message(1, (tensor) => {
    tensor.varint(1, FLOAT);
    tensor.message(2, (shape) => {
      for (const d of dims) shape.message(1, (dim) => dim.varint(1, d));
    });
  }));
}
