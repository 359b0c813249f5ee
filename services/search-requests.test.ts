import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, getRun, updateRun } from '../profiles/run-repository.ts';
import { createTestHome } from './test-home.ts';
import { createProfilesService } from './profiles-service.ts';
import { createSearchService, episodesPerTrace } from './search-service.ts';
import { createEmulationService, methodRows } from './emulation-service.ts';
import { accuracySearchInputs } from './accuracy-search-inputs.ts';
import type { SearchParams } from '../api/search-api.ts';

// Stored rows written directly: these tests are about which requests are refused before any work starts.
const params = (over: Partial<SearchParams> = {}): SearchParams => ({
  model: 'vgg11', dataset: 'cifar10', profileId: '1', cloudProfileId: '2', traceIds: ['1'], method: 'tree', blocks: 3, contexts: 2,
  episodes: 10, seed: 1, valImages: 200, techniques: ['F3'], distillImages: 2048, distillEpochs: 4, variants: 'studio', deviceId: 'phone', ...over,
});

describe('search and emulation requests refused before any work', () => {
  test('a search naming a profile or a trace that is not stored', async () => {
    const h = createTestHome();
    try {
      const svc = createSearchService(h.db, createProfilesService(h.db), accuracySearchInputs);
      await assert.rejects(svc.startSearch({ model: 'vgg11', dataset: 'cifar10', profileId: '9', cloudProfileId: '9', traceIds: ['1'], method: 'tree' }), /no profile "9" in the store/);
    } finally {
      h.dispose();
    }
  });

  test('an emulation of runs that are not finished searches of one model, data set, profiles and validation size', async () => {
    const h = createTestHome();
    try {
      const em = createEmulationService(h.db, createProfilesService(h.db), accuracySearchInputs);
      const cal = createRun(h.db, 'calibration', {}).id;
      const result = { traces: [{ traceId: '1' }] };
      const a = createRun(h.db, 'search', params()).id;
      updateRun(h.db, a, 'done', result);
      const b = createRun(h.db, 'search', params({ model: 'alexnet' })).id;
      updateRun(h.db, b, 'done', result);
      const c = createRun(h.db, 'search', params({ techniques: ['F3', 'W1'] })).id;
      updateRun(h.db, c, 'done', result);
      // Running, owned by this (live) process.
      const d = createRun(h.db, 'search', params()).id;
      updateRun(h.db, d, 'running', { pid: process.pid });
      await assert.rejects(em.startEmulation({ searchRunIds: [cal], traceIds: ['1'] }), /run \d+ is a calibration run, not a search/);
      await assert.rejects(em.startEmulation({ searchRunIds: [a, b], traceIds: ['1'] }), new RegExp(`search run ${b} has model alexnet, run ${a} vgg11`));
      await assert.rejects(em.startEmulation({ searchRunIds: [a, c], traceIds: ['1'] }), new RegExp(`search run ${c} has techniques`));
      await assert.rejects(em.startEmulation({ searchRunIds: [a, d], traceIds: ['1'] }), new RegExp(`search run ${d} is running; only finished searches can be emulated`));
      await assert.rejects(em.startEmulation({ searchRunIds: [a], traceIds: ['7'] }), /no trace "7" in the store/);
      assert.equal(getRun(h.db, a).status, 'done');
    } finally {
      h.dispose();
    }
  });

  test('a run left running by a process that is gone reads as failed', () => {
    const h = createTestHome();
    try {
      const svc = createSearchService(h.db, createProfilesService(h.db), accuracySearchInputs);
      const id = createRun(h.db, 'search', params()).id;
      // pid 2^22 + 1 is above Linux's pid_max: no such process.
      updateRun(h.db, id, 'running', { pid: 4194305 });
      const st = svc.searchStatus(id);
      assert.equal(st.status, 'failed');
      assert.match(st.error?.message ?? '', /interrupted/);
    } finally {
      h.dispose();
    }
  });

  test('progress units and method names', () => {
    // Tree methods: K boosting branch searches and the tree stage, E episodes each.
    assert.equal(episodesPerTrace({ method: 'tree', episodes: 10, contexts: 2 }), 30);
    assert.equal(episodesPerTrace({ method: 'branch', episodes: 10, contexts: 2 }), 10);
    assert.equal(episodesPerTrace({ method: 'surgery', episodes: 10, contexts: 2 }), 1);
    assert.deepEqual(methodRows([{ id: '4', method: 'tree' }, { id: '5', method: 'surgery' }, { id: '6', method: 'tree' }]).map((m) => m.name), ['tree #4', 'surgery', 'tree #6']);
  });
});
