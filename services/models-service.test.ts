import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createModelsService } from './models-service.ts';
import { createTestHome } from './test-home.ts';
import { serializeModelSpec } from '../dnn/formats/spec-json.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { StoreConflictError, NotFoundError } from '../profiles/errors.ts';
import { validationModel } from '../profiler/validation/validation-set.ts';

const tiny: ModelSpec = {
  name: 'tiny',
  inputShape: [4, 4, 1],
  layers: [
    { id: 'c', type: 'conv', kernel: 3, outChannels: 2 },
    { id: 'f', type: 'flatten' },
    { id: 'd', type: 'fc', outChannels: 3 },
  ],
};

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('models service', () => {
  test('builtins first, then an imported spec, analysed by hand', () => {
    const h = createTestHome();
    try {
      const svc = createModelsService(h.db);
      const summary = svc.importModel({ fileName: 'tiny.json', contentBase64: base64(serializeModelSpec(tiny)) });
      assert.deepEqual(summary, { name: 'tiny', source: 'imported', format: 'spec-json', layerCount: 3 });
      assert.deepEqual(svc.listModels().map((m) => `${m.source}:${m.name}`), ['builtin:vgg11', 'builtin:alexnet', 'builtin:resnet18', 'imported:tiny']);

      const d = svc.showModel('tiny', 'cifar10');
      // conv 3x3 valid on 4x4x1 -> 2x2x2: 9*1*2*4 = 72 MACC, 9*2 + 2 = 20 params; fc 8 -> 3: 24 MACC, 27 params.
      assert.equal(d.macc, 96);
      assert.equal(d.params, 47);
      assert.deepEqual(d.layers.map((l) => [l.type, l.kernel, l.stride, l.padding, l.outChannels, l.macc]), [
        ['conv', 3, 1, 0, 2, 72], ['flatten', null, null, null, null, 0], ['fc', null, null, null, 3, 24],
      ]);
      // Float32 bytes: the 4x4x1 input = 64; 2x2x2 = 32 after the conv and after flatten; nothing after the last layer.
      assert.deepEqual(d.cutBytes, [64, 32, 32, 0]);
      assert.deepEqual(d.layers.map((l) => l.outputBytes), [32, 32, 0]);
    } finally {
      h.dispose();
    }
  });

  test('vgg11 on cifar10: MACC and parameters summed by hand', () => {
    const h = createTestHome();
    try {
      const d = createModelsService(h.db).showModel('vgg11', 'cifar10');
      // Convs 9*Cin*Cout*H*W: 32^2*3*64, 16^2*64*128, 8^2*(128*256 + 256*256), 4^2*(256*512 + 512*512), 2^2*2*512*512;
      // FCs 512*512*2 + 512*10.
      const conv = 9 * (1024 * 3 * 64 + 256 * 64 * 128 + 64 * (128 * 256 + 256 * 256) + 16 * (256 * 512 + 512 * 512) + 4 * 2 * 512 * 512);
      assert.equal(d.macc, conv + 2 * 512 * 512 + 5120);
      assert.equal(d.macc, 153_293_824);
      // Conv weights + biases 9,220,480; bn 4 per channel over 2,752 channels; fc 2*(512*512+512) + 5130.
      assert.equal(d.params, 9_220_480 + 4 * 2752 + 2 * 262_656 + 5130);
      assert.equal(d.layers.length, 35);
      assert.equal(d.layers[0].outputBytes, 32 * 32 * 64 * 4);
    } finally {
      h.dispose();
    }
  });

  test('a name clash or an unknown model is a named error and stores nothing more', () => {
    const h = createTestHome();
    try {
      const svc = createModelsService(h.db);
      svc.importModel({ fileName: 'tiny.json', contentBase64: base64(serializeModelSpec(tiny)) });
      assert.throws(() => svc.importModel({ fileName: 'again.json', contentBase64: base64(serializeModelSpec(tiny)) }), StoreConflictError);
      assert.throws(() => svc.importModel({ fileName: 'vgg.json', contentBase64: base64(serializeModelSpec({ ...tiny, name: 'vgg11' })) }), /built-in/);
      assert.throws(() => svc.showModel('nope', 'cifar10'), (err: unknown) => err instanceof NotFoundError && /"nope"/.test(err.message));
      assert.throws(() => svc.importModel({ fileName: 'junk.bin', contentBase64: base64('not a model') }), { name: 'ModelImportError' });
      assert.equal(svc.listModels().filter((m) => m.source === 'imported').length, 1);
    } finally {
      h.dispose();
    }
  });

  test('validation-set names resolve to their CIFAR-10 specs; an imported model of that name comes first', () => {
    const h = createTestHome();
    try {
      const svc = createModelsService(h.db);
      assert.deepEqual(svc.resolveModel('resnet18-w0.5', 'cifar10'), validationModel('resnet18-w0.5'));
      assert.equal(svc.resolveModel('vgg11-dws', 'cifar10').layers.filter((l) => l.type === 'depthwise').length, 7);
      assert.throws(() => svc.resolveModel('vgg8', 'fashion-mnist'), (err: unknown) => err instanceof NotFoundError && /validation-set model, built for cifar10 only/.test(err.message));
      assert.throws(() => svc.resolveModel('vgg9', 'cifar10'), (err: unknown) => err instanceof NotFoundError && /validation-set models \(cifar10\) are vgg11-w0\.5, /.test(err.message));
      svc.importModel({ fileName: 'vgg8.json', contentBase64: base64(serializeModelSpec({ ...tiny, name: 'vgg8' })) });
      assert.equal(svc.resolveModel('vgg8', 'cifar10').layers.length, tiny.layers.length);
    } finally {
      h.dispose();
    }
  });
});
