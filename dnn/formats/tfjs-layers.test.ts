// Real model.json files: the models are built with TensorFlow.js's own layers API
// and saved through a save handler, exactly as `model.save()` writes them.
// tfjs runs on its default CPU backend here ONLY to build the models (no inference).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { analyzeModel } from '../spec/analyze.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import { importModelFile } from './registry.ts';
import { tfjsLayersFormat } from './tfjs-layers.ts';
import { ModelImportError } from './errors.ts';

before(async () => {
  await tf.setBackend('cpu');
});

/** The model.json that `model.save('file://...')` would write, as bytes; the model is disposed. */
async function modelJson(model: tf.LayersModel, wrapped = true): Promise<Uint8Array> {
  let topology: unknown;
  let weightSpecs: unknown;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    topology = artifacts.modelTopology;
    weightSpecs = artifacts.weightSpecs;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const json = wrapped
    ? { format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null, modelTopology: topology,
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: weightSpecs }] }
    : topology;
  return new TextEncoder().encode(JSON.stringify(json));
}

/** Imported and hand-written specs agree layer by layer, and with tfjs's own shapes and parameter count. */
function checkAgainst(model: tf.LayersModel, imported: ModelSpec, expected: ModelSpec): void {
  const got = analyzeModel(imported);
  const want = analyzeModel(expected);
  assert.deepEqual(imported.inputShape, expected.inputShape);
  assert.deepEqual(got.layers.map((l) => [l.layer.id, l.layer.type]), want.layers.map((l) => [l.layer.id, l.layer.type]));
  assert.deepEqual(got.layers.map((l) => l.outputShape), want.layers.map((l) => l.outputShape));
  assert.deepEqual(got.layers.map((l) => l.macc), want.layers.map((l) => l.macc));
  assert.equal(got.macc, want.macc);
  assert.equal(got.params, model.countParams());
  // Every tfjs layer's output shape (without the batch axis) is the spec layer's of the same name.
  for (const layer of model.layers) {
    const analysed = got.layers.find((l) => l.layer.id === layer.name);
    if (layer.getClassName() === 'InputLayer') continue;
    assert.ok(analysed !== undefined, `layer ${layer.name} is in the imported spec`);
    assert.deepEqual(analysed.outputShape, (layer.outputShape as number[]).slice(1), layer.name);
  }
}

interface KerasTopology {
  class_name: string;
  keras_version: string;
  config: { output_layers: unknown; layers: { config: Record<string, unknown>; inbound_nodes: unknown }[] };
}

function importError(bytes: Uint8Array): ModelImportError {
  try {
    importModelFile('model.json', bytes);
  } catch (error) {
    assert.ok(error instanceof ModelImportError, String(error));
    return error;
  }
  assert.fail('the import should have failed');
}

describe('TensorFlow.js Layers model.json', () => {
  test('a Sequential conv net: conv, pools, bn, depthwise, separable, dense, dropout', async () => {
    const before = tf.memory().numTensors;
    const model = tf.sequential({
      name: 'seq_net',
      layers: [
        tf.layers.conv2d({ name: 'c1', inputShape: [32, 32, 3], filters: 16, kernelSize: 5, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ name: 'p1', poolSize: 3, strides: 2, padding: 'same' }),
        tf.layers.batchNormalization({ name: 'bn1' }),
        tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'valid' }),
        tf.layers.separableConv2d({ name: 'sep', filters: 24, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu6' }),
        tf.layers.averagePooling2d({ name: 'p2', poolSize: 2 }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ name: 'fc1', units: 64, activation: 'relu' }),
        tf.layers.dropout({ name: 'drop', rate: 0.5 }),
        tf.layers.dense({ name: 'fc2', units: 10, activation: 'softmax', useBias: false }),
      ],
    });
    const bytes = await modelJson(model);
    assert.equal(tfjsLayersFormat.recognises('model.json', bytes), true);
    const { format, spec } = importModelFile('model.json', bytes);
    assert.equal(format, 'tfjs-layers');
    assert.equal(spec.name, 'seq_net');
    const expected: ModelSpec = {
      name: 'seq_net',
      inputShape: [32, 32, 3],
      layers: [
        { id: 'c1', type: 'conv', kernel: 5, stride: 1, padding: 'same', outChannels: 16, activation: 'relu' },
        { id: 'p1', type: 'maxpool', kernel: 3, stride: 2, padding: 'same' },
        { id: 'bn1', type: 'bn' },
        { id: 'dw', type: 'depthwise', kernel: 3, stride: 1, padding: 0, depthMultiplier: 2 },
        { id: 'sep_depthwise', type: 'depthwise', kernel: 3, stride: 2, padding: 'same', useBias: false },
        { id: 'sep', type: 'conv', kernel: 1, outChannels: 24, activation: 'relu6' },
        { id: 'p2', type: 'avgpool', kernel: 2, stride: 2, padding: 0 },
        { id: 'flat', type: 'flatten' },
        { id: 'fc1', type: 'fc', outChannels: 64, activation: 'relu' },
        { id: 'drop', type: 'dropout', rate: 0.5 },
        { id: 'fc2', type: 'fc', outChannels: 10, activation: 'softmax', useBias: false },
      ],
    };
    assert.deepEqual(spec, expected);
    checkAgainst(model, spec, expected);
    // By hand: c1 32*32*16*5*5*3; dw on 16x16x16 valid -> 14x14x32, 3*3*32*14*14;
    // sep: depthwise 3x3 on 14x14x32 stride 2 same -> 7x7x32, 3*3*32*7*7, then 1x1 to 24: 32*24*7*7;
    // p2 -> 3x3x24, flatten 216, fc1 216*64, fc2 64*10.
    assert.equal(analyzeModel(spec).macc, 32 * 32 * 16 * 75 + 9 * 32 * 14 * 14 + 9 * 32 * 49 + 32 * 24 * 49 + 216 * 64 + 64 * 10);
    model.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensors leaked');
  });

  test('a functional model with a residual Add, a SeparableConv2D and a Concatenate; also as a bare topology', async () => {
    const before = tf.memory().numTensors;
    const input = tf.input({ shape: [16, 16, 3], name: 'image' });
    const stem = tf.layers.conv2d({ name: 'stem', filters: 8, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(stem) as tf.SymbolicTensor;
    const act = tf.layers.activation({ name: 'stem_relu', activation: 'relu' }).apply(bn) as tf.SymbolicTensor;
    const branch = tf.layers.conv2d({ name: 'branch', filters: 8, kernelSize: 3, padding: 'same' }).apply(act) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'skip' }).apply([act, branch]) as tf.SymbolicTensor;
    const relu = tf.layers.reLU({ name: 'skip_relu' }).apply(sum) as tf.SymbolicTensor;
    const sep = tf.layers.separableConv2d({ name: 'sep', filters: 16, kernelSize: 3, strides: 2, padding: 'same' }).apply(relu) as tf.SymbolicTensor;
    const side = tf.layers.conv2d({ name: 'side', filters: 4, kernelSize: 1, strides: 2 }).apply(relu) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: 'cat' }).apply([sep, side]) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(cat) as tf.SymbolicTensor;
    const out = tf.layers.dense({ name: 'logits', units: 10 }).apply(gap) as tf.SymbolicTensor;
    const model = tf.model({ name: 'res_net', inputs: input, outputs: out });

    const expected: ModelSpec = {
      name: 'res_net',
      inputShape: [16, 16, 3],
      layers: [
        { id: 'stem', type: 'conv', kernel: 3, stride: 1, padding: 'same', outChannels: 8, useBias: false },
        { id: 'stem_bn', type: 'bn' },
        { id: 'stem_relu', type: 'activation', activation: 'relu' },
        { id: 'branch', type: 'conv', kernel: 3, stride: 1, padding: 'same', outChannels: 8 },
        { id: 'skip', type: 'add', inputs: ['stem_relu', 'branch'] },
        { id: 'skip_relu', type: 'activation', activation: 'relu' },
        { id: 'sep_depthwise', type: 'depthwise', kernel: 3, stride: 2, padding: 'same', useBias: false },
        { id: 'sep', type: 'conv', kernel: 1, outChannels: 16 },
        { id: 'side', type: 'conv', inputs: ['skip_relu'], kernel: 1, stride: 2, padding: 0, outChannels: 4 },
        { id: 'cat', type: 'concat', inputs: ['sep', 'side'] },
        { id: 'gap', type: 'gap' },
        { id: 'logits', type: 'fc', outChannels: 10 },
      ],
    };
    const wrapped = importModelFile('model.json', await modelJson(model));
    assert.equal(wrapped.format, 'tfjs-layers');
    assert.deepEqual(wrapped.spec, expected);
    checkAgainst(model, wrapped.spec, expected);
    const bare = importModelFile('topology.json', await modelJson(model, false));
    assert.equal(bare.format, 'tfjs-layers');
    assert.deepEqual(bare.spec, expected);
    // cat: 8x8x(16+4) = 20 channels; gap -> 20; by hand the whole model:
    const macc = 16 * 16 * 8 * 9 * 3 + 16 * 16 * 8 * 9 * 8 + 9 * 8 * 8 * 8 + 8 * 16 * 64 + 8 * 4 * 64 + 20 * 10;
    assert.equal(analyzeModel(wrapped.spec).macc, macc);
    model.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensors leaked');
  });

  test('the Keras 3 form of the same functional topology (Functional, batch_shape, args with keras_history) imports the same', async () => {
    const input = tf.input({ shape: [8, 8, 3], name: 'in' });
    const a = tf.layers.conv2d({ name: 'a', filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ name: 'b', filters: 4, kernelSize: 1 }).apply(a) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'sum' }).apply([a, b]) as tf.SymbolicTensor;
    const model = tf.model({ name: 'k3', inputs: input, outputs: sum });
    const tfjsBytes = await modelJson(model);
    model.dispose();
    const json = JSON.parse(new TextDecoder().decode(tfjsBytes)) as { modelTopology: KerasTopology };
    // Rewrite into Keras 3's serialisation, the way keras.saving writes config.json.
    const topology = json.modelTopology;
    topology.class_name = 'Functional';
    topology.keras_version = '3.3.3';
    for (const layer of topology.config.layers) {
      if (layer.config.batch_input_shape !== undefined) {
        layer.config.batch_shape = layer.config.batch_input_shape;
        delete layer.config.batch_input_shape;
      }
      const calls = layer.inbound_nodes as [string, number, number][][];
      layer.inbound_nodes = calls.map((call) => {
        const tensors = call.map(([name, node, index]) => ({ class_name: '__keras_tensor__', config: { shape: [null], dtype: 'float32', keras_history: [name, node, index] } }));
        return { args: tensors.length === 1 ? tensors : [tensors], kwargs: {} };
      });
    }
    topology.config.output_layers = ['sum', 0, 0];
    const keras3 = importModelFile('config.json', new TextEncoder().encode(JSON.stringify(topology)));
    const original = importModelFile('model.json', tfjsBytes);
    assert.deepEqual(keras3.spec, original.spec);
    assert.deepEqual(keras3.spec.layers.map((l) => l.id), ['a', 'b', 'sum']);
    assert.deepEqual(keras3.spec.layers[2].inputs, ['a', 'b']);
  });

  test('an unsupported layer is named with its position', async () => {
    const input = tf.input({ shape: [4, 8, 8, 1], name: 'volume' });
    const conv = tf.layers.conv3d({ name: 'conv3d_3', filters: 2, kernelSize: 3 }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: conv });
    const error = importError(await modelJson(model));
    model.dispose();
    // The 4-D volume input is refused first; a Conv3D after a 2-D input is named with its position.
    assert.equal(error.position, "layer 0 'volume' (InputLayer)");
    const flatInput = tf.input({ shape: [8, 8, 1], name: 'img' });
    const c = tf.layers.conv2d({ name: 'c', filters: 2, kernelSize: 3 }).apply(flatInput) as tf.SymbolicTensor;
    const up = tf.layers.upSampling2d({ name: 'up_7', size: [2, 2] }).apply(c) as tf.SymbolicTensor;
    const model2 = tf.model({ inputs: flatInput, outputs: up });
    const error2 = importError(await modelJson(model2));
    model2.dispose();
    assert.equal(error2.position, "layer 2 'up_7' (UpSampling2D)");
    assert.match(error2.problem, /layer type UpSampling2D is not supported/);
    assert.match(error2.message, /^model\.json: layer 2 'up_7' \(UpSampling2D\): /);
  });

  test('a non-square kernel or stride is refused with the layer named', async () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ name: 'wide', inputShape: [8, 8, 1], filters: 2, kernelSize: [3, 1] })] });
    const error = importError(await modelJson(model));
    model.dispose();
    assert.equal(error.position, "layer 0 'wide' (Conv2D)");
    assert.match(error.problem, /kernel_size \[3,1\] is not square/);
    const strided = tf.sequential({ layers: [tf.layers.maxPooling2d({ name: 'pool', inputShape: [8, 8, 1], poolSize: 2, strides: [2, 1] })] });
    const error2 = importError(await modelJson(strided));
    strided.dispose();
    assert.match(error2.problem, /strides \[2,1\] is not square/);
  });

  test('a graph model is refused with a clear reason', () => {
    const graphModel = new TextEncoder().encode(JSON.stringify({ format: 'graph-model', modelTopology: { node: [] } }));
    assert.match(importError(graphModel).problem, /graph model/);
  });
});
