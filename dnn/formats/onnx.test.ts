// Real ONNX files: written with the onnx-proto encoder, each checked to be a valid
// model by loading it into onnxruntime-node and running one inference.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import onnxProto from 'onnx-proto'; // CommonJS: its named export is on the default
import type { onnx as Onnx } from 'onnx-proto';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { analyzeModel } from '../spec/analyze.ts';
import { builtinModel } from '../models/builtin.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { importModelFile } from './registry.ts';
import { onnxFormat } from './onnx.ts';
import { ModelImportError } from './errors.ts';

const { onnx } = onnxProto;

type Attr = number | number[] | string;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

/** A float initializer with random values (their values do not matter to the spec). */
function weights(name: string, dims: number[]): Onnx.ITensorProto {
  const data = Float32Array.from({ length: dims.reduce((p, d) => p * d, 1) }, () => Math.random() - 0.5);
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer) };
}

function int64s(name: string, values: number[]): Onnx.ITensorProto {
  return { name, dims: [values.length], dataType: INT64, int64Data: values };
}

function node(opType: string, name: string, inputs: string[], outputs: string[], attrs: Record<string, Attr> = {}): Onnx.INodeProto {
  const attribute = Object.entries(attrs).map(([key, value]): Onnx.IAttributeProto => {
    if (Array.isArray(value)) return { name: key, type: onnx.AttributeProto.AttributeType.INTS, ints: value };
    if (typeof value === 'string') return { name: key, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) };
    return Number.isInteger(value)
      ? { name: key, type: onnx.AttributeProto.AttributeType.INT, i: value }
      : { name: key, type: onnx.AttributeProto.AttributeType.FLOAT, f: value };
  });
  return { opType, name, input: inputs, output: outputs, attribute };
}

function valueInfo(name: string, dims: (number | string)[]): Onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

function modelBytes(graph: Onnx.IGraphProto): Uint8Array {
  return onnx.ModelProto.encode({ irVersion: 7, producerName: 'edgetree-test', opsetImport: [{ domain: '', version: 13 }], graph }).finish();
}

/** Loads the model into onnxruntime and runs it on random input; returns the output dims. */
async function runWithOnnxRuntime(bytes: Uint8Array, inputName: string, inputDims: number[]): Promise<readonly number[]> {
  const session = await InferenceSession.create(bytes);
  const data = Float32Array.from({ length: inputDims.reduce((p, d) => p * d, 1) }, () => Math.random());
  const results = await session.run({ [inputName]: new Tensor('float32', data, inputDims) });
  const output = results[session.outputNames[0]];
  await session.release();
  return output.dims;
}

/** Float parameters stored in the file: every float initializer's element count. */
function storedParams(graph: Onnx.IGraphProto): number {
  return (graph.initializer ?? []).filter((t) => t.dataType === FLOAT).reduce((sum, t) => sum + (t.dims ?? []).reduce<number>((p, d) => p * Number(d), 1), 0);
}

/** The AlexNet of the built-in models, NCHW, with the variants of padding and FC an exporter writes. */
function alexnetGraph(): Onnx.IGraphProto {
  return {
    name: 'alexnet_onnx',
    input: [valueInfo('image', ['batch', 3, 32, 32])],
    output: [valueInfo('logits', ['batch', 10])],
    initializer: [
      weights('w1', [64, 3, 5, 5]), weights('b1', [64]), weights('w2', [64, 64, 5, 5]), weights('b2', [64]),
      weights('fc1_w', [384, 4096]), weights('fc1_b', [384]), weights('fc2_w', [384, 192]), weights('fc2_b', [192]),
      weights('fc3_w', [192, 10]), weights('fc3_b', [10]),
    ],
    node: [
      node('Conv', 'conv1', ['image', 'w1', 'b1'], ['c1'], { kernel_shape: [5, 5], pads: [2, 2, 2, 2] }),
      node('Relu', 'relu1', ['c1'], ['r1']),
      node('MaxPool', 'pool1', ['r1'], ['p1'], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }),
      node('Conv', 'conv2', ['p1', 'w2', 'b2'], ['c2'], { kernel_shape: [5, 5], auto_pad: 'SAME_UPPER' }),
      node('Relu', 'relu2', ['c2'], ['r2']),
      node('MaxPool', 'pool2', ['r2'], ['p2'], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }),
      node('Flatten', 'flatten', ['p2'], ['f']),
      node('Gemm', 'fc1', ['f', 'fc1_w', 'fc1_b'], ['h1'], { transB: 1 }),
      node('Relu', 'fc1_relu', ['h1'], ['h1r']),
      node('MatMul', 'fc2', ['h1r', 'fc2_w'], ['h2m']),
      node('Add', 'fc2_bias', ['h2m', 'fc2_b'], ['h2']),
      node('Relu', 'fc2_relu', ['h2'], ['h2r']),
      node('Gemm', 'fc3', ['h2r', 'fc3_w', 'fc3_b'], ['logits']),
    ],
  };
}

/** A small residual net with an NHWC input (transposed to NCHW, as tf2onnx writes), depthwise conv, BN, Clip, Concat. */
function residualGraph(): Onnx.IGraphProto {
  return {
    name: 'small_res',
    input: [valueInfo('x', [1, 16, 16, 3])],
    output: [valueInfo('y', [1, 10])],
    initializer: [
      weights('stem_w', [8, 3, 3, 3]), weights('bn_scale', [8]), weights('bn_bias', [8]), weights('bn_mean', [8]), weights('bn_var', [8]),
      weights('dw_w', [16, 1, 3, 3]), weights('dw_b', [16]), weights('pw_w', [8, 16, 1, 1]), weights('pw_b', [8]),
      weights('fc_w', [10, 16]), weights('fc_b', [10]), int64s('flat_shape', [1, -1]),
    ],
    node: [
      node('Transpose', 'to_nchw', ['x'], ['xt'], { perm: [0, 3, 1, 2] }),
      node('Conv', 'stem', ['xt', 'stem_w'], ['s'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      node('BatchNormalization', 'stem_bn', ['s', 'bn_scale', 'bn_bias', 'bn_mean', 'bn_var'], ['sb']),
      node('Relu', 'stem_relu', ['sb'], ['sr']),
      node('Conv', 'dw', ['sr', 'dw_w', 'dw_b'], ['d'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 8 }),
      node('Constant', 'six', [], ['six_max'], { value_float: 6.5 }),
      node('Constant', 'zero', [], ['zero_min'], { value_float: 0.5 }),
      node('Clip', 'dw_relu6', ['d', 'zero_min', 'six_max'], ['dr']),
      node('Conv', 'pw', ['dr', 'pw_w', 'pw_b'], ['p'], { kernel_shape: [1, 1] }),
      node('Add', 'skip', ['sr', 'p'], ['a']),
      node('Relu', 'skip_relu', ['a'], ['ar']),
      node('Concat', 'cat', ['ar', 'sr'], ['c'], { axis: 1 }),
      node('MaxPool', 'pool', ['c'], ['m'], { kernel_shape: [2, 2], strides: [2, 2] }),
      node('GlobalAveragePool', 'gap', ['m'], ['g']),
      node('Reshape', 'flat', ['g', 'flat_shape'], ['f']),
      node('Dropout', 'drop', ['f'], ['fd']),
      node('Identity', 'same', ['fd'], ['fi']),
      node('Gemm', 'logits', ['fi', 'fc_w', 'fc_b'], ['y'], { transB: 1 }),
    ],
  };
}

/** Clip bounds as Constant node outputs (scalars), the way PyTorch exports relu6. */
function withClipBounds(graph: Onnx.IGraphProto): Onnx.IGraphProto {
  const nodes = (graph.node ?? []).map((n) => {
    if (n.name === 'six') return { ...n, attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dims: [], dataType: FLOAT, floatData: [6] } }] };
    if (n.name === 'zero') return { ...n, attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dims: [], dataType: FLOAT, floatData: [0] } }] };
    return n;
  });
  return { ...graph, node: nodes };
}

function importError(fileName: string, bytes: Uint8Array): ModelImportError {
  try {
    importModelFile(fileName, bytes);
  } catch (error) {
    assert.ok(error instanceof ModelImportError, `expected ModelImportError, got ${String(error)}`);
    return error;
  }
  assert.fail('the import should have failed');
}

describe('ONNX models', () => {
  test('an AlexNet-shaped conv net (NCHW) has the layers, shapes and MACCs of the built-in alexnet', async () => {
    const graph = alexnetGraph();
    const bytes = modelBytes(graph);
    assert.deepEqual(await runWithOnnxRuntime(bytes, 'image', [1, 3, 32, 32]), [1, 10]);

    assert.equal(onnxFormat.recognises('alexnet.onnx', bytes), true);
    assert.equal(onnxFormat.recognises('alexnet.bin', bytes), true, 'recognised by its first bytes too');
    const { format, spec } = importModelFile('alexnet.onnx', bytes);
    assert.equal(format, 'onnx');
    assert.equal(spec.name, 'alexnet_onnx');
    assert.deepEqual(spec.inputShape, [32, 32, 3]);
    const got = analyzeModel(spec);
    const want = analyzeModel(builtinModel('alexnet', 'cifar10'));
    assert.deepEqual(got.layers.map((l) => [l.layer.id, l.layer.type]), want.layers.map((l) => [l.layer.id, l.layer.type]));
    assert.deepEqual(got.layers.map((l) => l.outputShape), want.layers.map((l) => l.outputShape));
    assert.deepEqual(got.layers.map((l) => l.macc), want.layers.map((l) => l.macc));
    assert.equal(got.params, storedParams(graph), 'params = the weights stored in the file');
    // The MatMul and its bias Add are one fc layer with a bias.
    assert.deepEqual(spec.layers[9], { id: 'fc2', type: 'fc', outChannels: 192 });
    // By hand: 32*32*64*5*5*3 + 16*16*64*5*5*64 + 4096*384 + 384*192 + 192*10.
    assert.equal(got.macc, 4915200 + 26214400 + 1572864 + 73728 + 1920);
  });

  test('a small residual net with an NHWC input, depthwise conv, relu6 Clip, Concat and Reshape-as-flatten', async () => {
    const graph = withClipBounds(residualGraph());
    const bytes = modelBytes(graph);
    assert.deepEqual(await runWithOnnxRuntime(bytes, 'x', [1, 16, 16, 3]), [1, 10]);

    const { spec } = importModelFile('small_res.onnx', bytes);
    const expected: ModelSpec = {
      name: 'small_res',
      inputShape: [16, 16, 3],
      layers: [
        { id: 'stem', type: 'conv', kernel: 3, stride: 1, padding: 1, outChannels: 8, useBias: false },
        { id: 'stem_bn', type: 'bn' },
        { id: 'stem_relu', type: 'activation', activation: 'relu' },
        { id: 'dw', type: 'depthwise', kernel: 3, stride: 1, padding: 1, depthMultiplier: 2 },
        { id: 'dw_relu6', type: 'activation', activation: 'relu6' },
        { id: 'pw', type: 'conv', kernel: 1, stride: 1, padding: 0, outChannels: 8 },
        { id: 'skip', type: 'add', inputs: ['stem_relu', 'pw'] },
        { id: 'skip_relu', type: 'activation', activation: 'relu' },
        { id: 'cat', type: 'concat', inputs: ['skip_relu', 'stem_relu'] },
        { id: 'pool', type: 'maxpool', kernel: 2, stride: 2, padding: 0 },
        { id: 'gap', type: 'gap' },
        { id: 'flat', type: 'flatten' },
        { id: 'drop', type: 'dropout' },
        { id: 'logits', type: 'fc', outChannels: 10 },
      ],
    };
    assert.deepEqual(spec, expected);
    const analysis = analyzeModel(spec);
    assert.equal(analysis.params, storedParams(graph));
    assert.deepEqual(analysis.outputShape, [10]);
    // By hand: stem 16*16*8*27, depthwise 3*3*16*16*16, pointwise 16*16*8*16, fc 16*10.
    assert.equal(analysis.macc, 16 * 16 * 8 * 27 + 9 * 16 * 16 * 16 + 16 * 16 * 8 * 16 + 16 * 10);
  });

  test('explicit asymmetric pads equal to TensorFlow SAME (as tf2onnx writes them) become padding same', async () => {
    const graph: Onnx.IGraphProto = {
      name: 'tf2onnx_style',
      input: [valueInfo('input_1', ['unk__1', 32, 32, 3])],
      output: [valueInfo('out', ['unk__1', 10])],
      initializer: [weights('k', [8, 3, 3, 3]), weights('kb', [8]), weights('d_w', [8, 10]), weights('d_b', [10])],
      node: [
        node('Transpose', 'input_nchw', ['input_1'], ['t'], { perm: [0, 3, 1, 2] }),
        // 32 -> 16 with k3 s2: total pad (16-1)*2+3-32 = 1, so [top, left, bottom, right] = [0, 0, 1, 1].
        node('Conv', 'conv', ['t', 'k', 'kb'], ['c'], { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1] }),
        node('MaxPool', 'pool', ['c'], ['p'], { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1] }),
        node('Transpose', 'to_nhwc', ['p'], ['pt'], { perm: [0, 2, 3, 1] }),
        node('GlobalAveragePool', 'gap', ['p'], ['g']),
        node('Flatten', 'flat', ['g'], ['f']),
        node('MatMul', 'dense', ['f', 'd_w'], ['dm']),
        node('Add', 'dense_bias', ['d_b', 'dm'], ['out']),
      ],
    };
    const bytes = modelBytes(graph);
    assert.deepEqual(await runWithOnnxRuntime(bytes, 'input_1', [1, 32, 32, 3]), [1, 10]);
    const { spec } = importModelFile('tf.onnx', bytes);
    assert.deepEqual(spec.inputShape, [32, 32, 3]);
    assert.deepEqual(spec.layers.slice(0, 2), [
      { id: 'conv', type: 'conv', kernel: 3, stride: 2, padding: 'same', outChannels: 8 },
      { id: 'pool', type: 'maxpool', kernel: 3, stride: 2, padding: 'same' },
    ]);
    const analysis = analyzeModel(spec);
    assert.deepEqual(analysis.layers.map((l) => l.outputShape), [[16, 16, 8], [8, 8, 8], [8], [8], [10]]);
    assert.equal(analysis.macc, 16 * 16 * 8 * 27 + 8 * 10);
  });

  test('an unsupported operator is named with its node index and name', () => {
    const graph = alexnetGraph();
    const nodes = [...(graph.node ?? [])];
    nodes.splice(7, 0, node('LSTM', 'lstm_1', ['f', 'w', 'r'], ['seq']));
    const error = importError('rnn.onnx', modelBytes({ ...graph, node: nodes }));
    assert.equal(error.position, "node 7 'lstm_1' (op LSTM)");
    assert.match(error.problem, /operator LSTM is not supported/);
    assert.match(error.message, /^rnn\.onnx: node 7 'lstm_1' \(op LSTM\): /);
  });

  test('a Clip other than relu / relu6 and asymmetric pads are refused with the node named', () => {
    const clip = importError('clip.onnx', modelBytes(residualGraph())); // bounds 0.5 .. 6.5 from scalar constants
    assert.equal(clip.position, "node 7 'dw_relu6' (op Clip)");
    assert.match(clip.problem, /Clip \[0\.5, 6\.5\] is not supported/);
    const graph = alexnetGraph();
    const nodes = (graph.node ?? []).map((n) => (n.name === 'conv1' ? node('Conv', 'conv1', ['image', 'w1', 'b1'], ['c1'], { kernel_shape: [5, 5], pads: [1, 1, 2, 2] }) : n));
    const pads = importError('pads.onnx', modelBytes({ ...graph, node: nodes }));
    assert.equal(pads.position, "node 0 'conv1' (op Conv)");
    assert.match(pads.problem, /pads \[1, 1, 2, 2\] are not the same on every side/);
  });

  test('truncated or corrupt bytes and non-ONNX files give a clear error, never a crash or a hang', () => {
    const bytes = modelBytes(alexnetGraph());
    const truncated = importError('alexnet.onnx', bytes.subarray(0, Math.floor(bytes.length / 2)));
    assert.match(truncated.message, /^alexnet\.onnx: not a valid ONNX protobuf \(truncated or corrupt\)/);
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    assert.match(importError('photo.onnx', png).message, /^photo\.onnx: /);
    assert.match(importError('photo.png', png).message, /^photo\.png: not a model file the studio recognises/);
    assert.match(importError('empty.onnx', new Uint8Array(0)).message, /the file is empty/);
    // Random bytes and single flipped bytes: always a ModelImportError.
    let seed = 42;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 200; i++) {
      const noise = Uint8Array.from({ length: 1 + Math.floor(next() * 300) }, () => Math.floor(next() * 256));
      try {
        importModelFile('noise.onnx', noise);
      } catch (error) {
        assert.ok(error instanceof ModelImportError, `random bytes ${i}: ${String(error)}`);
      }
      const flipped = bytes.slice(0, 4096);
      flipped[Math.floor(next() * flipped.length)] ^= 0xff;
      assert.throws(() => importModelFile('flipped.onnx', flipped), ModelImportError);
    }
  });
});
