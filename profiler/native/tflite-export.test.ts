// Exported TFLite files decoded by the real flatc (Debian flatbuffers-compiler) against
// the schema's field ids and enum values (tflite-schema/), then checked for the
// operators, tensor shapes, options and weight buffers intended.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { exportTflite, toNhwc } from './tflite-export.ts';
import { ModelExportError } from './export-errors.ts';

const SUBSET_SCHEMA = new URL('./tflite-schema/tflite-v3-subset.fbs', import.meta.url).pathname;

interface Json { [key: string]: unknown }
interface TfTensor { shape: number[]; type: string; buffer: number; name: string }
interface TfOperator { opcode_index: number; inputs: number[]; outputs: number[]; builtin_options_type?: string; builtin_options?: Record<string, unknown> }
interface TfModel { version: number; operator_codes: { builtin_code: string; deprecated_builtin_code: number }[]; subgraphs: { tensors: TfTensor[]; inputs: number[]; outputs: number[]; operators: TfOperator[] }[]; buffers: { data?: number[] }[] }

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'edgetree-tflite-'));
});

function decode(spec: ModelSpec, schema = SUBSET_SCHEMA): TfModel {
  const bytes = exportTflite(spec);
  assert.equal(Buffer.from(bytes.subarray(4, 8)).toString('latin1'), 'TFL3', 'file identifier');
  const file = join(dir, `${spec.name}.tflite`);
  writeFileSync(file, bytes);
  execFileSync('flatc', ['--json', '--strict-json', '--raw-binary', '-o', dir, schema, '--', file], { stdio: 'pipe' });
  return JSON.parse(readFileSync(join(dir, `${spec.name}.json`), 'utf8')) as TfModel;
}

function ops(m: TfModel): string[] {
  return m.subgraphs[0].operators.map((o) => m.operator_codes[o.opcode_index].builtin_code);
}

function outputTensor(m: TfModel): TfTensor {
  const g = m.subgraphs[0];
  return g.tensors[g.outputs[0]];
}

const specs: Record<string, ModelSpec> = {
  conv: { name: 'conv', inputShape: [16, 16, 8], layers: [{ id: 'c', type: 'conv', kernel: 3, stride: 2, outChannels: 16, padding: 'same', activation: 'relu6' }] },
  dw: { name: 'dw', inputShape: [12, 12, 16], layers: [{ id: 'd', type: 'depthwise', kernel: 3, padding: 1 }] },
  fc: { name: 'fc', inputShape: [1, 1, 256], layers: [{ id: 'f', type: 'flatten' }, { id: 'fc', type: 'fc', outChannels: 100, activation: 'relu' }] },
  pools: { name: 'pools', inputShape: [16, 16, 8], layers: [{ id: 'm', type: 'maxpool', kernel: 2 }, { id: 'a', type: 'avgpool', kernel: 3, stride: 1, padding: 'same' }] },
  padded: { name: 'padded', inputShape: [16, 16, 4], layers: [{ id: 'c', type: 'conv', kernel: 5, stride: 2, padding: 2, outChannels: 6 }] },
  chain: { name: 'chain', inputShape: [16, 16, 3], layers: [
    { id: 'c1', type: 'conv', kernel: 3, outChannels: 8, padding: 1, activation: 'relu' },
    { id: 'b1', type: 'bn' },
    { id: 'r', type: 'activation', activation: 'relu' },
    { id: 'g', type: 'gap' },
    { id: 'd', type: 'dropout', rate: 0.5 },
    { id: 'fc', type: 'fc', outChannels: 10, activation: 'softmax' },
  ] },
};

describe('TFLite export of benchmark layers, decoded by flatc', () => {
  test('3x3 conv stride 2 SAME with fused relu6: CONV_2D, OHWI filter, bias, options', () => {
    const m = decode(specs.conv);
    assert.equal(m.version, 3);
    assert.deepEqual(ops(m), ['CONV_2D']);
    const g = m.subgraphs[0];
    const op = g.operators[0];
    assert.equal(op.builtin_options_type, 'Conv2DOptions');
    assert.deepEqual(op.builtin_options, { padding: 'SAME', stride_w: 2, stride_h: 2, fused_activation_function: 'RELU6' });
    const [x, filter, bias] = op.inputs.map((i) => g.tensors[i]);
    assert.deepEqual(x.shape, [1, 16, 16, 8]);
    assert.deepEqual(filter.shape, [16, 3, 3, 8]);
    assert.equal(m.buffers[filter.buffer].data?.length, 16 * 3 * 3 * 8 * 4);
    assert.deepEqual(bias.shape, [16]);
    assert.deepEqual(outputTensor(m).shape, [1, 8, 8, 16]);
    assert.deepEqual(m.buffers[0], {}, 'buffer 0 is the empty sentinel');
    assert.equal(g.tensors[g.inputs[0]].buffer, 0);
  });

  test('depthwise 3x3 padding 1 is SAME at stride 1: no PAD, multiplier 1, filter [1, 3, 3, C]', () => {
    const m = decode(specs.dw);
    assert.deepEqual(ops(m), ['DEPTHWISE_CONV_2D']);
    const op = m.subgraphs[0].operators[0];
    assert.deepEqual(op.builtin_options, { padding: 'SAME', stride_w: 1, stride_h: 1, depth_multiplier: 1, fused_activation_function: 'NONE' });
    assert.deepEqual(m.subgraphs[0].tensors[op.inputs[1]].shape, [1, 3, 3, 16]);
  });

  test('fc after flatten: RESHAPE to [1, 256] then FULLY_CONNECTED with weights [100, 256]', () => {
    const m = decode(specs.fc);
    assert.deepEqual(ops(m), ['RESHAPE', 'FULLY_CONNECTED']);
    const [reshape, fc] = m.subgraphs[0].operators;
    assert.deepEqual(reshape.builtin_options, { new_shape: [1, 256] });
    assert.deepEqual(fc.builtin_options, { fused_activation_function: 'RELU' });
    assert.deepEqual(m.subgraphs[0].tensors[fc.inputs[1]].shape, [100, 256]);
    assert.deepEqual(outputTensor(m).shape, [1, 100]);
  });

  test('pools: filter and stride in the options', () => {
    const m = decode(specs.pools);
    assert.deepEqual(ops(m), ['MAX_POOL_2D', 'AVERAGE_POOL_2D']);
    const [mp, ap] = m.subgraphs[0].operators;
    assert.deepEqual(mp.builtin_options, { padding: 'VALID', stride_w: 2, stride_h: 2, filter_width: 2, filter_height: 2, fused_activation_function: 'NONE' });
    assert.deepEqual(ap.builtin_options, { padding: 'SAME', stride_w: 1, stride_h: 1, filter_width: 3, filter_height: 3, fused_activation_function: 'NONE' });
    assert.deepEqual(outputTensor(m).shape, [1, 8, 8, 8]);
  });

  test('padding 2 at stride 2 on 16x16 is not SAME (SAME pads 1 and 2): explicit PAD to 20x20, then VALID conv to 8x8', () => {
    const m = decode(specs.padded);
    assert.deepEqual(ops(m), ['PAD', 'CONV_2D']);
    const g = m.subgraphs[0];
    const [pad, conv] = g.operators;
    assert.deepEqual(g.tensors[pad.outputs[0]].shape, [1, 20, 20, 4]);
    const paddings = g.tensors[pad.inputs[1]];
    assert.equal(paddings.type, 'INT32');
    assert.deepEqual([...new Int32Array(Uint8Array.from(m.buffers[paddings.buffer].data!).buffer)], [0, 0, 2, 2, 2, 2, 0, 0]);
    assert.equal((conv.builtin_options as Json).padding, 'VALID');
    assert.deepEqual(outputTensor(m).shape, [1, 8, 8, 6]);
    assert.deepEqual(outputTensor(m).shape, toNhwc(analyzeModel(specs.padded).outputShape));
    // 15x15 with the same layer: SAME pads 2 and 2, so no PAD is written.
    assert.deepEqual(ops(decode({ ...specs.padded, name: 'padded15', inputShape: [15, 15, 4] })), ['CONV_2D']);
  });

  test('a chain: BN as MUL+ADD, gap as MEAN over H and W, dropout writes nothing, softmax after fc', () => {
    const m = decode(specs.chain);
    assert.deepEqual(ops(m), ['CONV_2D', 'MUL', 'ADD', 'RELU', 'MEAN', 'FULLY_CONNECTED', 'SOFTMAX']);
    const g = m.subgraphs[0];
    const mean = g.operators[4];
    assert.deepEqual(mean.builtin_options, { keep_dims: false });
    assert.deepEqual(g.tensors[mean.outputs[0]].shape, [1, 8]);
    assert.deepEqual(g.operators[6].builtin_options, { beta: 1 });
    assert.deepEqual(outputTensor(m).shape, [1, 10]);
    // Every operator's output is a later operator's input, except the graph output.
    const consumed = new Set(g.operators.flatMap((o) => o.inputs));
    g.operators.slice(0, -1).forEach((o) => assert.ok(consumed.has(o.outputs[0])));
  });

  test('against the full official schema.fbs when EDGETREE_TFLITE_SCHEMA names it', { skip: process.env.EDGETREE_TFLITE_SCHEMA === undefined ? 'EDGETREE_TFLITE_SCHEMA not set' : false }, () => {
    const m = decode({ ...specs.chain, name: 'chain-official' }, process.env.EDGETREE_TFLITE_SCHEMA);
    assert.deepEqual(ops(m), ['CONV_2D', 'MUL', 'ADD', 'RELU', 'MEAN', 'FULLY_CONNECTED', 'SOFTMAX']);
  });

  test('an activation TFLite has no builtin for names the model and layer', () => {
    const spec: ModelSpec = { name: 'e', inputShape: [4, 4, 4], layers: [{ id: 'elu1', type: 'activation', activation: 'elu' }] };
    assert.throws(() => exportTflite(spec), (e: Error) => e instanceof ModelExportError && /TFLite/.test(e.message) && /'elu1'/.test(e.message));
  });

  test('cleanup', () => rmSync(dir, { recursive: true, force: true }));
});
