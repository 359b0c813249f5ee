import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from './analyze.ts';
import { ModelSpecError } from './errors.ts';
import type { InputShape, LayerSpec, ModelSpec } from './layer-spec.ts';

const conv = (id: string, extra: Partial<LayerSpec> = {}): LayerSpec => ({ id, type: 'conv', kernel: 3, padding: 'same', outChannels: 8, ...extra });

/** Asserts analyzeModel rejects the model at this layer with a message matching `problem`. */
function rejects(layers: LayerSpec[], layerIndex: number, problem: RegExp, inputShape: InputShape = [8, 8, 4]): void {
  const spec: ModelSpec = { name: 'broken', inputShape, layers };
  assert.throws(() => analyzeModel(spec), (err: unknown) => {
    assert.ok(err instanceof ModelSpecError, `expected ModelSpecError, got ${String(err)}`);
    assert.equal(err.name, 'ModelSpecError');
    assert.equal(err.layerIndex, layerIndex);
    assert.equal(err.layerId, layers[layerIndex].id);
    assert.ok(err.message.startsWith(`model "broken", layer ${layerIndex} "${layers[layerIndex].id}"`), err.message);
    assert.match(err.message, problem);
    return true;
  });
}

describe('ModelSpecError names the model, the layer and the problem', () => {
  test('unknown input id', () => {
    rejects([conv('a'), conv('b', { inputs: ['nope'] })], 1, /unknown input id "nope"/);
  });

  test('an input listed later breaks topological order', () => {
    rejects([conv('a', { inputs: ['b'] }), conv('b')], 0, /input "b" is layer 1.*topological order/);
  });

  test('a layer reading itself', () => {
    rejects([conv('a'), conv('b', { inputs: ['b'] })], 1, /lists itself/);
  });

  test('duplicate id', () => {
    rejects([conv('a'), conv('a')], 1, /duplicate id "a" \(already used by layer 0\)/);
  });

  test('the reserved model input id', () => {
    rejects([conv('@input')], 0, /reserved for the model input/);
  });

  test('unknown type', () => {
    rejects([conv('a'), { id: 'x', type: 'lrn' as LayerSpec['type'] }], 1, /unknown layer type "lrn"/);
  });

  test('channels not divisible by groups', () => {
    rejects([conv('a', { groups: 3 })], 0, /input channels 4 are not divisible by groups 3/);
    rejects([conv('a', { groups: 4, outChannels: 6 })], 0, /output channels 6 are not divisible by groups 4/);
  });

  test('add of mismatched shapes', () => {
    rejects([conv('a'), { id: 'j', type: 'add', inputs: ['a', '@input'] }], 1, /add of mismatched shapes: input 0 is \[8, 8, 8\], input 1 is \[8, 8, 4\]/);
  });

  test('concat of different spatial sizes', () => {
    rejects([conv('a', { stride: 2 }), { id: 'j', type: 'concat', inputs: ['a', '@input'] }], 1, /concat needs inputs that differ only in channels/);
  });

  test('add with one input, conv with two', () => {
    rejects([conv('a'), { id: 'j', type: 'add' }], 1, /add needs two or more inputs, got 1/);
    rejects([conv('a'), conv('b', { inputs: ['a', '@input'] })], 1, /conv takes exactly one input, got 2/);
  });

  test('kernel larger than the padded input', () => {
    rejects([conv('a', { kernel: 5, padding: 0 })], 0, /kernel 5 is larger than the padded input height 4/, [4, 4, 1]);
    rejects([{ id: 'p', type: 'maxpool', kernel: 3 }], 0, /kernel 3 is larger than the padded input height 2/, [2, 8, 1]);
  });

  test('fc on a non-flat input', () => {
    rejects([{ id: 'fc', type: 'fc', outChannels: 10 }], 0, /fc needs a flat input, got shape \[8, 8, 4\]/);
  });

  test('conv, pooling and gap on a vector', () => {
    rejects([{ id: 'f', type: 'flatten' }, conv('c')], 1, /needs an HxWxC feature map, got shape \[256\]/);
    rejects([{ id: 'f', type: 'flatten' }, { id: 'g', type: 'gap' }], 1, /needs an HxWxC feature map/);
  });

  test('missing outChannels, missing kernel, bad stride and padding', () => {
    rejects([conv('a', { outChannels: undefined })], 0, /missing outChannels/);
    rejects([{ id: 'fc0', type: 'flatten' }, { id: 'fc', type: 'fc' }], 1, /missing outChannels/);
    rejects([conv('a', { kernel: undefined })], 0, /missing kernel/);
    rejects([conv('a', { stride: 0 })], 0, /stride must be a positive integer, got 0/);
    rejects([conv('a', { padding: -1 })], 0, /padding must be 'same' or a non-negative integer, got -1/);
  });

  test('depthwise outChannels that contradict the multiplier', () => {
    rejects([{ id: 'd', type: 'depthwise', kernel: 3, outChannels: 6 }], 0, /outChannels 6 differs from input channels 4 x depth multiplier 1 = 4/);
  });

  test('model-level problems name the model', () => {
    assert.throws(() => analyzeModel({ name: 'empty', inputShape: [8, 8, 1], layers: [] }), { name: 'ModelSpecError', message: 'model "empty": the model has no layers' });
    assert.throws(
      () => analyzeModel({ name: 'flat', inputShape: [8, 0, 1], layers: [conv('a')] }),
      { name: 'ModelSpecError', message: /^model "flat": input shape must be \[height, width, channels\] of positive integers, got \[8,0,1\]/ },
    );
  });
});
