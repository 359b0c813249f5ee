import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateRequest, InvalidRequestError } from './validate-request.ts';

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof InvalidRequestError && pattern.test(err.message));
}

const search = { model: 'vgg11', dataset: 'cifar10', profileId: '1', cloudProfileId: '2', traceIds: ['3', '4'], method: 'tree' };

describe('search and emulation requests', () => {
  test('startSearch keeps the fields given and only those', () => {
    assert.deepEqual(validateRequest('startSearch', search), search);
    const full = { ...search, blocks: 3, contexts: 2, episodes: 40, seed: 0, valImages: 200, distillImages: 8192, distillEpochs: 6 };
    assert.deepEqual(validateRequest('startSearch', full), full);
    assert.deepEqual(validateRequest('startSearch', { ...search, techniques: ['F3', 'W1'] }), { ...search, techniques: ['F3', 'W1'] });
    rejects(() => validateRequest('startSearch', { ...search, techniques: ['F9'] }), /field "techniques" must be a list of distinct techniques among F1, F2, F3, C1, C2, C3, W1/);
  });

  test('startSearch refuses what names nothing usable', () => {
    rejects(() => validateRequest('startSearch', { ...search, model: 'resnet18' }), /^startSearch: field "model" must be one of vgg11, alexnet, got "resnet18"$/);
    rejects(() => validateRequest('startSearch', { ...search, method: 'greedy' }), /field "method" must be one of tree, branch, surgery, neurosurgeon, random, egreedy, exhaustive/);
    rejects(() => validateRequest('startSearch', { ...search, traceIds: [] }), /field "traceIds" must be a list of 1 to 50 ids/);
    rejects(() => validateRequest('startSearch', { ...search, traceIds: ['3', '3'] }), /field "traceIds" lists an id twice/);
    rejects(() => validateRequest('startSearch', { ...search, blocks: 0 }), /field "blocks" must be a whole number from 1 to 8, got 0/);
    rejects(() => validateRequest('startSearch', { ...search, episodes: 2.5 }), /field "episodes" must be a whole number/);
    rejects(() => validateRequest('startSearch', { ...search, cloudProfileId: undefined }), /field "cloudProfileId" must be a string, got nothing/);
    rejects(() => validateRequest('startSearch', { ...search, distillImages: 0 }), /field "distillImages" must be a whole number from 1 to 100000, got 0/);
    rejects(() => validateRequest('startSearch', { ...search, lr: 0.1 }), /field "lr" is not part of this request/);
  });

  test('startEmulation: runs, traces and an optional number of starts', () => {
    assert.deepEqual(validateRequest('startEmulation', { searchRunIds: ['5', '6'], traceIds: ['3'], offsets: 20 }), { searchRunIds: ['5', '6'], traceIds: ['3'], offsets: 20 });
    rejects(() => validateRequest('startEmulation', { searchRunIds: ['5'], traceIds: ['3'], offsets: 0 }), /field "offsets" must be a whole number from 1/);
    rejects(() => validateRequest('startEmulation', { searchRunIds: '5', traceIds: ['3'] }), /field "searchRunIds" must be a list/);
    assert.deepEqual(validateRequest('searchStatus', { runId: '7' }), { runId: '7' });
    assert.deepEqual(validateRequest('listEmulations', {}), {});
  });
});
