/**
 * An ONNX model's weights in the studio's layouts (dnn/tfjs/layer-weights.ts), so
 * weights trained elsewhere (recipes/pytorch/) come in through the importer:
 * - Conv W [M, C/g, kH, kW] becomes HWIO [kH, kW, C/g, M]; a depthwise W
 *   [C·mult, 1, k, k] becomes [k, k, C, mult];
 * - Gemm B [out, in] (transB = 1) or [in, out], MatMul [in, out], become [in, out];
 *   the FC right after a Flatten of a C×H×W map has its rows reordered from
 *   ONNX's (c, h, w) to the studio's NHWC (h, w, c) order;
 * - BatchNormalization's epsilon is folded into the variance so that the
 *   studio's own epsilon (BN_EPSILON) gives the same output.
 */
import { analyzeModel } from '../spec/analyze.ts';
import type { LayerAnalysis } from '../spec/analyze.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import type { LayerWeights, WeightSet } from '../tfjs/layer-weights.ts';
import { weightShapes, shapeSize } from '../tfjs/layer-weights.ts';
import { BN_EPSILON } from '../tfjs/layer-op.ts';
import { halfBitsToFloat } from '../tfjs/weight-codec.ts';
import { ModelImportError } from './errors.ts';
import { ONNX_FLOAT } from './onnx-decode.ts';
import type { OnnxNode, OnnxTensor } from './onnx-decode.ts';
import { parseOnnxGraph } from './onnx.ts';

const ONNX_FLOAT16 = 10;
const NCHW_TO_NHWC = '0,2,3,1';

export interface ImportedModel {
  spec: ModelSpec;
  weights: WeightSet;
}

/** The spec and its weights from an ONNX file's bytes; errors name the file and the node. */
export function importOnnxWithWeights(fileName: string, bytes: Uint8Array): ImportedModel {
  const { spec, graph, sources, nodeOfLayer } = parseOnnxGraph(fileName, bytes);
  const analysis = analyzeModel(spec);
  const byId = new Map(analysis.layers.map((l) => [l.layer.id, l]));
  const producers = new Map(graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const weights: WeightSet = new Map();
  for (const source of sources) {
    const fail = (problem: string): never => {
      throw new ModelImportError(fileName, problem, source.at);
    };
    const layer = byId.get(source.layerId);
    if (layer === undefined) return fail(`layer ${source.layerId} is not in the imported spec`);
    const shapes = weightShapes(layer);
    const tensor = (index: number, what: string): Float32Array => {
      const name = source.node.inputs[index];
      const t = name === undefined || name === '' ? undefined : source.constants.get(name);
      if (t === undefined) return fail(`${what} '${name ?? ''}' is not a constant (an initializer or a Constant node)`);
      return floatValues(t, fail, what);
    };
    const w: LayerWeights = {};
    switch (source.node.opType) {
      case 'Conv': {
        const raw = tensor(1, 'weight W');
        const kernelShape = shapes.kernel ?? fail('no kernel shape');
        w.kernel = layer.layer.type === 'depthwise' ? depthwiseToHwcm(raw, kernelShape) : convToHwio(raw, kernelShape);
        if (shapes.bias !== undefined) w.bias = tensor(2, 'bias B');
        break;
      }
      case 'Gemm':
      case 'MatMul': {
        const raw = tensor(1, source.node.opType === 'Gemm' ? 'weight B' : 'weight');
        const [inputs, units] = shapes.kernel ?? fail('no kernel shape');
        const transB = source.node.opType === 'Gemm' && (source.node.attributes.get('transB')?.i ?? 0) === 1;
        for (const a of ['alpha', 'beta']) {
          const v = source.node.attributes.get(a)?.f;
          if (v !== undefined && v !== 1) fail(`Gemm ${a} = ${v} is not supported (1 only)`);
        }
        let kernel = transB ? transpose(raw, units, inputs) : raw;
        const flattened = flattenSource(layer.inputIds[0], byId, nodeOfLayer, producers);
        if (flattened !== null) kernel = chwRowsToHwc(kernel, flattened, units);
        w.kernel = kernel;
        if (shapes.bias !== undefined) {
          w.bias = source.node.opType === 'Gemm' ? tensor(2, 'bias C') : floatValues(source.foldedBias ?? fail('the MatMul has no folded bias'), fail, 'bias');
        }
        break;
      }
      case 'BatchNormalization': {
        const epsilon = source.node.attributes.get('epsilon')?.f ?? 1e-5;
        w.gamma = tensor(1, 'scale');
        w.beta = tensor(2, 'B');
        w.movingMean = tensor(3, 'input_mean');
        // (var + eps_onnx) = (var' + BN_EPSILON): the same normalisation under the studio's epsilon.
        w.movingVariance = tensor(4, 'input_var').map((v) => v + Math.fround(epsilon) - BN_EPSILON);
        break;
      }
      default:
        return fail(`op ${source.node.opType} has no weights the studio reads`);
    }
    for (const [name, values] of Object.entries(w) as [keyof LayerWeights, Float32Array][]) {
      const shape = shapes[name];
      if (shape === undefined || shapeSize(shape) !== values.length) {
        fail(`${name} has ${values.length} values; layer ${source.layerId} needs ${shape === undefined ? 'none' : `[${shape.join(', ')}]`}`);
      }
    }
    weights.set(source.layerId, w);
  }
  return { spec, weights };
}

/**
 * The [H, W, C] map an FC's input was flattened from, when that flatten read
 * an NCHW map (so ONNX's row order is c, h, w); null when no reorder is needed
 * (no flatten, a 1x1 map, or a map transposed to NHWC first, as tf2onnx writes).
 */
function flattenSource(
  inputId: string, byId: ReadonlyMap<string, LayerAnalysis>,
  nodeOfLayer: ReadonlyMap<string, OnnxNode>, producers: ReadonlyMap<string, OnnxNode>,
): readonly number[] | null {
  const flatten = byId.get(inputId);
  if (flatten === undefined || flatten.layer.type !== 'flatten') return null;
  const shape = flatten.inputShapes[0];
  if (shape.length !== 3 || shape[0] * shape[1] === 1) return null;
  const node = nodeOfLayer.get(inputId);
  const before = node === undefined ? undefined : producers.get(node.inputs[0] ?? '');
  if (before !== undefined && before.opType === 'Transpose' && (before.attributes.get('perm')?.ints ?? []).join(',') === NCHW_TO_NHWC) return null;
  return shape;
}

function floatValues(t: OnnxTensor, fail: (problem: string) => never, what: string): Float32Array {
  const count = t.dims.reduce((p, d) => p * d, 1);
  if (t.dataType === ONNX_FLOAT) {
    if (t.raw !== undefined && t.raw.length > 0) {
      if (t.raw.byteLength !== count * 4) fail(`${what} '${t.name}' has ${t.raw.byteLength} bytes for ${count} float32 values (truncated?)`);
      const copy = new Uint8Array(t.raw); // aligned copy
      return new Float32Array(copy.buffer, 0, count);
    }
    if (t.floatData.length !== count) fail(`${what} '${t.name}' has ${t.floatData.length} values for dims [${t.dims.join(', ')}]`);
    return Float32Array.from(t.floatData);
  }
  if (t.dataType === ONNX_FLOAT16) {
    // float16 comes as raw bytes, or as int32_data holding one value each.
    const halves = t.raw !== undefined && t.raw.length > 0
      ? new Uint16Array(new Uint8Array(t.raw).buffer, 0, Math.floor(t.raw.byteLength / 2))
      : Uint16Array.from(t.int32Data);
    if (halves.length !== count) fail(`${what} '${t.name}' has ${halves.length} float16 values for dims [${t.dims.join(', ')}]`);
    return Float32Array.from(halves, halfBitsToFloat);
  }
  return fail(`${what} '${t.name}' has ONNX data type ${t.dataType}; float32 (1) and float16 (10) are read`);
}

/** [M, Cg, kh, kw] → [kh, kw, Cg, M]. */
function convToHwio(w: Float32Array, [kh, kw, cg, m]: number[]): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < m; o++) for (let c = 0; c < cg; c++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    out[((y * kw + x) * cg + c) * m + o] = w[((o * cg + c) * kh + y) * kw + x];
  }
  return out;
}

/** [C·mult, 1, kh, kw] → [kh, kw, C, mult]: output channel c·mult + j reads input channel c. */
function depthwiseToHwcm(w: Float32Array, [kh, kw, c, mult]: number[]): Float32Array {
  const out = new Float32Array(w.length);
  for (let ch = 0; ch < c; ch++) for (let j = 0; j < mult; j++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    out[((y * kw + x) * c + ch) * mult + j] = w[((ch * mult + j) * kh + y) * kw + x];
  }
  return out;
}

/** A [rows, cols] matrix transposed to [cols, rows]. */
function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
  return out;
}

/** [in, units] rows in (c, h, w) order → (h, w, c) order for an [H, W, C] map. */
function chwRowsToHwc(w: Float32Array, [h, wd, c]: readonly number[], units: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < wd; x++) {
    const from = (ch * h + y) * wd + x;
    const to = (y * wd + x) * c + ch;
    out.set(w.subarray(from * units, (from + 1) * units), to * units);
  }
  return out;
}
