import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateRequest } from './validate-request.ts';
import { InvalidRequestError } from './api-error.ts';

const rejects = (fn: () => unknown, message: RegExp): void => assert.throws(fn, (e: unknown) => e instanceof InvalidRequestError && message.test(e.message));

describe('accuracy requests as IPC and HTTP check them', () => {
  test('modelAccuracy and startCompressionSweep keep the fields given and only those', () => {
    assert.deepEqual(validateRequest('modelAccuracy', { model: 'alexnet', dataset: 'fashion-mnist' }), { model: 'alexnet', dataset: 'fashion-mnist' });
    assert.deepEqual(validateRequest('modelAccuracy', { model: 'vgg11', dataset: 'cifar10', valImages: 500 }), { model: 'vgg11', dataset: 'cifar10', valImages: 500 });
    const full = { model: 'alexnet', dataset: 'fashion-mnist', techniques: ['W1', 'C1'], layers: [3, 0], valImages: 100, distillImages: 128, distillEpochs: 1 };
    assert.deepEqual(validateRequest('startCompressionSweep', full), full);
    assert.deepEqual(validateRequest('compressionSweepStatus', { runId: '4' }), { runId: '4' });
  });

  test('refused by name: models without weights support, techniques, layers, counts, extra fields', () => {
    rejects(() => validateRequest('modelAccuracy', { model: 'resnet18', dataset: 'cifar10' }), /^modelAccuracy: field "model" must be one of vgg11, alexnet, got "resnet18"$/);
    rejects(() => validateRequest('modelAccuracy', { model: 'vgg11', dataset: 'mnist' }), /field "dataset" must be one of cifar10, fashion-mnist/);
    const sweep = { model: 'alexnet', dataset: 'fashion-mnist' };
    rejects(() => validateRequest('startCompressionSweep', { ...sweep, techniques: ['W2'] }), /field "techniques" must be a list of distinct techniques among F1, F2, F3, C1, C2, C3, W1/);
    rejects(() => validateRequest('startCompressionSweep', { ...sweep, techniques: [] }), /field "techniques"/);
    rejects(() => validateRequest('startCompressionSweep', { ...sweep, layers: [3, 3] }), /field "layers" must be a list of 1 to 1000 distinct layer positions/);
    rejects(() => validateRequest('startCompressionSweep', { ...sweep, layers: [-1] }), /field "layers"/);
    rejects(() => validateRequest('startCompressionSweep', { ...sweep, layers: '3' }), /field "layers"/);
    rejects(() => validateRequest('startCompressionSweep', { ...sweep, valImages: 0 }), /field "valImages" must be a whole number from 1 to 100000, got 0/);
    rejects(() => validateRequest('startCompressionSweep', { ...sweep, distillEpochs: 1.5 }), /field "distillEpochs" must be a whole number from 1 to 100/);
    rejects(() => validateRequest('startCompressionSweep', { ...sweep, seed: 1 }), /field "seed" is not part of this request/);
    rejects(() => validateRequest('compressionSweepStatus', {}), /field "runId" must be a string, got nothing/);
  });
});
