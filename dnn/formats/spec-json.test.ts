import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModel, BUILTIN_MODEL_NAMES } from '../models/builtin.ts';
import { DATASETS } from '../models/datasets.ts';
import { analyzeModel } from '../spec/analyze.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { importModelFile } from './registry.ts';
import { serializeModelSpec, specJsonFormat } from './spec-json.ts';
import { ModelImportError } from './errors.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const file = (model: unknown, extra: Record<string, unknown> = {}): Uint8Array =>
  bytes(JSON.stringify({ format: 'edgetree-model-spec', version: 1, model, ...extra }));

const small: ModelSpec = {
  name: 'small',
  inputShape: [8, 8, 3],
  layers: [
    { id: 'c1', type: 'conv', kernel: 3, padding: 1, outChannels: 4, activation: 'relu' },
    { id: 'c2', type: 'conv', kernel: 3, padding: 1, outChannels: 4 },
    { id: 'sum', type: 'add', inputs: ['c1', 'c2'] },
    { id: 'gap', type: 'gap' },
    { id: 'fc', type: 'fc', outChannels: 10 },
  ],
};

function importError(data: Uint8Array, fileName = 'bad.json'): ModelImportError {
  try {
    importModelFile(fileName, data);
  } catch (error) {
    assert.ok(error instanceof ModelImportError, `expected ModelImportError, got ${String(error)}`);
    return error;
  }
  assert.fail('the import should have failed');
}

describe('spec JSON format', () => {
  test('every built-in model round-trips through the file unchanged, with the same MACCs', () => {
    for (const name of BUILTIN_MODEL_NAMES) {
      for (const dataset of DATASETS) {
        const spec = builtinModel(name, dataset);
        const imported = importModelFile(`${name}.json`, bytes(serializeModelSpec(spec)));
        assert.equal(imported.format, 'spec-json');
        assert.deepEqual(imported.spec, spec);
        assert.equal(analyzeModel(imported.spec).macc, analyzeModel(spec).macc);
      }
    }
  });

  test('a small residual model: the add keeps its two inputs; MACCs as computed by hand', () => {
    const { spec } = importModelFile('small.json', file(small));
    assert.deepEqual(spec.layers[2].inputs, ['c1', 'c2']);
    // Each 3x3 conv, padding 1: 8*8 outputs x 4 channels x 3*3*C_in; then fc 4 -> 10.
    assert.equal(analyzeModel(spec).macc, 8 * 8 * 4 * 9 * 3 + 8 * 8 * 4 * 9 * 4 + 4 * 10);
  });

  test('recognises only its own JSON', () => {
    assert.equal(specJsonFormat.recognises('m.json', file(small)), true);
    assert.equal(specJsonFormat.recognises('m.json', bytes('{"modelTopology": {}}')), false);
    assert.equal(specJsonFormat.recognises('m.json', bytes('not json')), false);
  });

  test('errors name the JSON path and what is wrong', () => {
    const cases: { model: unknown; extra?: Record<string, unknown>; position: string; problem: RegExp }[] = [
      { model: small, extra: { version: 2 }, position: '$.version', problem: /version 2 is not supported/ },
      { model: { ...small, inputShape: [8, 8] }, position: '$.model.inputShape', problem: /\[height, width, channels\]/ },
      { model: { ...small, layers: [{ id: 'c1', type: 'conv', outChannels: 4 }] }, position: '$.model.layers[0].kernel', problem: /conv layer needs kernel/ },
      { model: { ...small, layers: [{ id: 'c1', type: 'conv3d', kernel: 3 }] }, position: '$.model.layers[0].type', problem: /got "conv3d"/ },
      { model: { ...small, layers: [{ id: 'c1', type: 'conv', kernel: '3', outChannels: 4 }] }, position: '$.model.layers[0].kernel', problem: /positive integer, got "3"/ },
      { model: { ...small, layers: [{ id: 'c1', type: 'conv', kernal: 3, kernel: 3, outChannels: 4 }] }, position: '$.model.layers[0].kernal', problem: /field not used by a conv layer "kernal"/ },
      { model: { ...small, layers: [{ id: 'p', type: 'maxpool', kernel: 2, outChannels: 4 }] }, position: '$.model.layers[0].outChannels', problem: /not used by a maxpool/ },
      { model: { ...small, layers: [small.layers[0], { id: 's', type: 'add', inputs: ['c1'] }] }, position: '$.model.layers[1].inputs', problem: /two or more inputs/ },
      { model: { ...small, layers: [small.layers[0], { id: 's', type: 'add', inputs: ['c1', 'later'] }, { id: 'later', type: 'bn' }] }, position: '$.model.layers[1].inputs[1]', problem: /"later" is not the model input/ },
      { model: { ...small, layers: [small.layers[0], small.layers[0]] }, position: '$.model.layers[1].id', problem: /duplicate id "c1"/ },
      { model: { ...small, layers: [{ id: 'a', type: 'activation', activation: 'gelu' }] }, position: '$.model.layers[0].activation', problem: /got "gelu"/ },
      // Types right but shapes wrong: the kernel does not fit, found by analysing the spec.
      { model: { ...small, layers: [{ id: 'big', type: 'conv', kernel: 9, outChannels: 4 }] }, position: '$.model.layers[0]', problem: /kernel 9 is larger than the padded input/ },
    ];
    for (const c of cases) {
      const error = importError(file(c.model, c.extra));
      assert.equal(error.fileName, 'bad.json');
      assert.equal(error.position, c.position, error.message);
      assert.match(error.problem, c.problem);
      assert.ok(error.message.startsWith(`bad.json: ${c.position}: `), error.message);
    }
  });

  test('a file no format recognises names the file and every format tried', () => {
    const error = importError(bytes('time_s,mbps\n0,1\n'), 'trace.csv');
    assert.match(error.message, /^trace\.csv: not a model file/);
    for (const id of ['spec-json', 'tfjs-layers', 'onnx']) assert.match(error.message, new RegExp(id));
  });
});
