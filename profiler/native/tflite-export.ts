/**
 * Writes a model spec (a one-layer benchmark case, or a small chain or DAG) as a
 * TFLite flatbuffer (schema version 3, file identifier TFL3) for `benchmark_model`:
 * NHWC float32 with batch 1, weights in buffers (buffer 0 is the empty sentinel),
 * builtin operators with their options tables. Field slots and enum values follow
 * TensorFlow Lite's schema.fbs (see tflite-schema/SOURCES.md); the tests check the
 * files with flatc against the schema.
 *
 * TFLite pads only SAME or VALID: a numeric padding that SAME does not produce is
 * written as an explicit PAD (zeros) before a VALID conv or pool. BN becomes MUL and
 * ADD by per-channel constants, as converters lower an unfused BN; flatten is RESHAPE,
 * gap is MEAN over H and W, dropout writes no operator.
 */
import { Builder } from 'flatbuffers';
import type { ActivationKind, ModelSpec, TensorShape } from '../../dnn/spec/layer-spec.ts';
import { analyzeModel, MODEL_INPUT_ID } from '../../dnn/spec/analyze.ts';
import type { LayerAnalysis } from '../../dnn/spec/analyze.ts';
import { seededWeights } from './seeded-weights.ts';
import type { WeightSource } from './seeded-weights.ts';
import { axisPads } from './same-padding.ts';
import { ModelExportError } from './export-errors.ts';

/** BuiltinOperator values used here (schema.fbs). */
export const TFLITE_OP = {
  ADD: 0, AVERAGE_POOL_2D: 1, CONCATENATION: 2, CONV_2D: 3, DEPTHWISE_CONV_2D: 4, FULLY_CONNECTED: 9, LOGISTIC: 14, MAX_POOL_2D: 17,
  MUL: 18, RELU: 19, RELU6: 21, RESHAPE: 22, SOFTMAX: 25, TANH: 28, PAD: 34, MEAN: 40,
} as const;
export type TfliteOpName = keyof typeof TFLITE_OP;

/** BuiltinOptions union member values (schema.fbs: position in the union, from 1). */
const OPTIONS = { Conv2D: 1, DepthwiseConv2D: 2, Pool2D: 5, FullyConnected: 8, Softmax: 9, Concatenation: 10, Add: 11, Reshape: 17, Mul: 21, Pad: 22, Reducer: 27 } as const;
const FLOAT32 = 0;
const INT32 = 2;
const SAME = 0;
const VALID = 1;
const FUSED: Partial<Record<ActivationKind, number>> = { linear: 0, relu: 1, relu6: 3, tanh: 4 };
export const TFLITE_SCHEMA_VERSION = 3;

interface TensorDraft {
  name: string;
  shape: number[];
  type: number;
  /** Constant data (float32 or int32 little-endian bytes), or none for activations. */
  data?: Uint8Array;
}

type OptionsWriter = (b: Builder) => number;

interface OperatorDraft {
  op: TfliteOpName;
  inputs: number[];
  outputs: number[];
  optionsType: number;
  options?: OptionsWriter;
}

/** The studio's [H, W, C] or [N] as TFLite NHWC with batch 1. */
export function toNhwc(shape: TensorShape): number[] {
  return [1, ...shape];
}

class GraphDraft {
  readonly tensors: TensorDraft[] = [];
  readonly operators: OperatorDraft[] = [];

  tensor(name: string, shape: number[], data?: Float32Array | Int32Array): number {
    const type = data instanceof Int32Array ? INT32 : FLOAT32;
    this.tensors.push({ name, shape, type, data: data === undefined ? undefined : new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return this.tensors.length - 1;
  }

  op(op: TfliteOpName, inputs: number[], outputs: number[], optionsType = 0, options?: OptionsWriter): void {
    this.operators.push({ op, inputs, outputs, optionsType, options });
  }
}

export function exportTflite(spec: ModelSpec, weights: WeightSource = seededWeights(1)): Uint8Array {
  const analysis = analyzeModel(spec);
  const g = new GraphDraft();
  const input = g.tensor('input', toNhwc(spec.inputShape));
  const tensorOf = new Map<string, number>([[MODEL_INPUT_ID, input]]);
  const lastId = analysis.layers[analysis.layers.length - 1].layer.id;
  for (const la of analysis.layers) {
    const fail = (problem: string): never => {
      throw new ModelExportError('TFLite', spec.name, la.layer.id, problem);
    };
    const inputs = la.inputIds.map((id) => tensorOf.get(id)!);
    if (la.layer.type === 'dropout') {
      tensorOf.set(la.layer.id, inputs[0]); // identity at inference: no operator
      continue;
    }
    const out = g.tensor(la.layer.id === lastId ? 'output' : la.layer.id, toNhwc(la.outputShape));
    layerOps(g, la, inputs, out, weights, fail);
    tensorOf.set(la.layer.id, out);
  }
  return writeModel(spec.name, g, input, tensorOf.get(lastId)!);
}

type Fail = (problem: string) => never;

function layerOps(g: GraphDraft, la: LayerAnalysis, inputs: number[], out: number, weights: WeightSource, fail: Fail): void {
  const { layer } = la;
  const id = layer.id;
  const inShape = la.inputShapes[0];
  const act = layer.activation ?? 'linear';
  // Conv, depthwise and FC fuse relu, relu6 and tanh; any other activation follows as its own operator.
  const fusable = layer.type === 'conv' || layer.type === 'depthwise' || layer.type === 'fc';
  const fused = fusable ? FUSED[act] : undefined;
  const separateAct = fusable && fused === undefined;
  const mainOut = separateAct ? g.tensor(`${id}_pre`, toNhwc(la.outputShape)) : out;
  switch (layer.type) {
    case 'conv':
    case 'depthwise': {
      const [, , cIn] = inShape;
      const cOut = la.outputShape[2];
      const k = layer.kernel ?? fail('no kernel');
      const s = layer.stride ?? 1;
      const { x, padding } = spatialInput(g, la, inputs[0], k, s);
      const depthwise = layer.type === 'depthwise';
      const groups = depthwise ? 1 : layer.groups ?? 1;
      const filterShape = depthwise ? [1, k, k, cOut] : [cOut, k, k, cIn / groups];
      const filter = g.tensor(`${id}_filter`, filterShape, weights(filterShape.reduce((a, b) => a * b, 1)));
      // TFLite kernels expect a bias input; zeros stand in when the layer has none.
      const bias = g.tensor(`${id}_bias`, [cOut], layer.useBias === false ? new Float32Array(cOut) : weights(cOut));
      const f = fused ?? 0;
      if (depthwise) {
        const multiplier = cOut / cIn;
        g.op('DEPTHWISE_CONV_2D', [x, filter, bias], [mainOut], OPTIONS.DepthwiseConv2D, (b) => table(b, [[0, 'i8', padding], [1, 'i32', s], [2, 'i32', s], [3, 'i32', multiplier], [4, 'i8', f]]));
      } else {
        g.op('CONV_2D', [x, filter, bias], [mainOut], OPTIONS.Conv2D, (b) => table(b, [[0, 'i8', padding], [1, 'i32', s], [2, 'i32', s], [3, 'i8', f]]));
      }
      break;
    }
    case 'fc': {
      const n = inShape[0];
      const units = la.outputShape[0];
      const w = g.tensor(`${id}_weights`, [units, n], weights(units * n));
      const bias = g.tensor(`${id}_bias`, [units], layer.useBias === false ? new Float32Array(units) : weights(units));
      g.op('FULLY_CONNECTED', [inputs[0], w, bias], [mainOut], OPTIONS.FullyConnected, (b) => table(b, [[0, 'i8', fused ?? 0]]));
      break;
    }
    case 'maxpool':
    case 'avgpool': {
      const k = layer.kernel ?? fail('no kernel');
      const s = layer.stride ?? k;
      const { x, padding } = spatialInput(g, la, inputs[0], k, s);
      g.op(layer.type === 'maxpool' ? 'MAX_POOL_2D' : 'AVERAGE_POOL_2D', [x], [out], OPTIONS.Pool2D, (b) =>
        table(b, [[0, 'i8', padding], [1, 'i32', s], [2, 'i32', s], [3, 'i32', k], [4, 'i32', k], [5, 'i8', 0]]));
      break;
    }
    case 'bn': {
      const c = inShape[inShape.length - 1];
      const scaled = g.tensor(`${id}_scaled`, toNhwc(la.outputShape));
      g.op('MUL', [inputs[0], g.tensor(`${id}_scale`, [c], weights(c))], [scaled], OPTIONS.Mul, (b) => table(b, [[0, 'i8', 0]]));
      g.op('ADD', [scaled, g.tensor(`${id}_offset`, [c], weights(c))], [out], OPTIONS.Add, (b) => table(b, [[0, 'i8', 0]]));
      break;
    }
    case 'gap': {
      const axes = g.tensor(`${id}_axes`, [2], Int32Array.of(1, 2));
      g.op('MEAN', [inputs[0], axes], [out], OPTIONS.Reducer, (b) => table(b, [[0, 'bool', 0]]));
      break;
    }
    case 'flatten': {
      const newShape = [1, la.outputShape[0]];
      const shapeTensor = g.tensor(`${id}_shape`, [2], Int32Array.from(newShape));
      g.op('RESHAPE', [inputs[0], shapeTensor], [out], OPTIONS.Reshape, (b) => {
        const v = intVector(b, newShape);
        return table(b, [[0, 'offset', v]]);
      });
      break;
    }
    case 'activation':
      activationOps(g, layer.activation ?? 'relu', id, inputs[0], out, la.outputShape, fail);
      return;
    case 'add': {
      let acc = inputs[0];
      inputs.slice(1).forEach((next, i) => {
        const target = i === inputs.length - 2 ? out : g.tensor(`${id}_sum${i}`, toNhwc(la.outputShape));
        g.op('ADD', [acc, next], [target], OPTIONS.Add, (b) => table(b, [[0, 'i8', 0]]));
        acc = target;
      });
      break;
    }
    case 'concat':
      g.op('CONCATENATION', inputs, [out], OPTIONS.Concatenation, (b) => table(b, [[0, 'i32', la.outputShape.length], [1, 'i8', 0]]));
      break;
    default:
      fail(`layer type '${String(layer.type)}' has no TFLite export`);
  }
  if (separateAct) activationOps(g, act, `${id}_act`, mainOut, out, la.outputShape, fail);
}

/** SAME or VALID for TFLite, with an explicit PAD first when the spec's padding is neither. */
function spatialInput(g: GraphDraft, la: LayerAnalysis, x: number, k: number, s: number): { x: number; padding: number } {
  const p = la.layer.padding ?? 0;
  if (p === 'same') return { x, padding: SAME };
  if (p === 0) return { x, padding: VALID };
  const [h, w, c] = la.inputShapes[0];
  const sameH = axisPads(h, k, s, 'same');
  const sameW = axisPads(w, k, s, 'same');
  if (sameH[0] === p && sameH[1] === p && sameW[0] === p && sameW[1] === p) return { x, padding: SAME };
  const paddings = g.tensor(`${la.layer.id}_paddings`, [4, 2], Int32Array.of(0, 0, p, p, p, p, 0, 0));
  const padded = g.tensor(`${la.layer.id}_padded`, [1, h + 2 * p, w + 2 * p, c]);
  g.op('PAD', [x, paddings], [padded], OPTIONS.Pad, (b) => table(b, []));
  return { x: padded, padding: VALID };
}

function activationOps(g: GraphDraft, fn: ActivationKind, id: string, x: number, out: number, shape: TensorShape, fail: Fail): void {
  const simple: Partial<Record<ActivationKind, TfliteOpName>> = { relu: 'RELU', relu6: 'RELU6', sigmoid: 'LOGISTIC', tanh: 'TANH' };
  const op = simple[fn];
  if (op !== undefined) g.op(op, [x], [out]);
  else if (fn === 'softmax') g.op('SOFTMAX', [x], [out], OPTIONS.Softmax, (b) => table(b, [[0, 'f32', 1]]));
  else if (fn === 'swish') {
    const sig = g.tensor(`${id}_sigmoid`, toNhwc(shape));
    g.op('LOGISTIC', [x], [sig]);
    g.op('MUL', [x, sig], [out], OPTIONS.Mul, (b) => table(b, [[0, 'i8', 0]]));
  } else if (fn === 'linear') {
    const shapeTensor = g.tensor(`${id}_shape`, [shape.length + 1], Int32Array.from(toNhwc(shape)));
    g.op('RESHAPE', [x, shapeTensor], [out]);
  } else fail(`activation '${fn}' has no TFLite export`);
}

type Field = [slot: number, kind: 'i8' | 'bool' | 'i32' | 'f32' | 'offset', value: number];

/** A table from scalar and offset fields; every value is written, defaults included, so flatc's JSON shows them. */
function table(b: Builder, fields: Field[]): number {
  b.startObject(fields.reduce((n, [slot]) => Math.max(n, slot + 1), 0));
  for (const [slot, kind, value] of fields) {
    if (kind === 'i8' || kind === 'bool') b.addFieldInt8(slot, value, null);
    else if (kind === 'i32') b.addFieldInt32(slot, value, null);
    else if (kind === 'f32') b.addFieldFloat32(slot, value, null);
    else b.addFieldOffset(slot, value, 0);
  }
  return b.endObject();
}

function intVector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

function writeModel(name: string, g: GraphDraft, input: number, output: number): Uint8Array {
  const b = new Builder(1024);
  // Buffers: 0 is the empty sentinel; each constant tensor gets its own, data aligned to 16 (force_align).
  const bufferOf = new Map<number, number>();
  const bufferTables: number[] = [table(b, [])];
  g.tensors.forEach((t, i) => {
    if (t.data === undefined) return;
    b.prep(16, t.data.length);
    const data = b.createByteVector(t.data);
    bufferTables.push(table(b, [[0, 'offset', data]]));
    bufferOf.set(i, bufferTables.length - 1);
  });
  const tensorTables = g.tensors.map((t, i) => {
    const shape = intVector(b, t.shape);
    const tname = b.createString(t.name);
    return table(b, [[0, 'offset', shape], [1, 'i8', t.type], [2, 'i32', bufferOf.get(i) ?? 0], [3, 'offset', tname]]);
  });
  const opNames = [...new Set(g.operators.map((o) => o.op))];
  const operatorTables = g.operators.map((o) => {
    const ins = intVector(b, o.inputs);
    const outs = intVector(b, o.outputs);
    const options = o.options?.(b);
    const fields: Field[] = [[0, 'i32', opNames.indexOf(o.op)], [1, 'offset', ins], [2, 'offset', outs]];
    if (options !== undefined) fields.push([3, 'i8', o.optionsType], [4, 'offset', options]);
    return table(b, fields);
  });
  const subgraphName = b.createString(name);
  const subgraph = table(b, [
    [0, 'offset', offsetVector(b, tensorTables)],
    [1, 'offset', intVector(b, [input])],
    [2, 'offset', intVector(b, [output])],
    [3, 'offset', offsetVector(b, operatorTables)],
    [4, 'offset', subgraphName],
  ]);
  // deprecated_builtin_code holds codes below 127 (all of ours), builtin_code the full value.
  const codes = opNames.map((op) => table(b, [[0, 'i8', TFLITE_OP[op]], [2, 'i32', 1], [3, 'i32', TFLITE_OP[op]]]));
  const description = b.createString('EdgeTree Studio benchmark layer');
  const model = table(b, [
    [0, 'i32', TFLITE_SCHEMA_VERSION],
    [1, 'offset', offsetVector(b, codes)],
    [2, 'offset', offsetVector(b, [subgraph])],
    [3, 'offset', description],
    [4, 'offset', offsetVector(b, bufferTables)],
  ]);
  b.finish(model, 'TFL3');
  return b.asUint8Array().slice();
}
