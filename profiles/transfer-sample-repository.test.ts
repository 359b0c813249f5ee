import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './open-store.ts';
import { createRun } from './run-repository.ts';
import { insertTransferSample, listTransferSamples } from './transfer-sample-repository.ts';
import { StoreConflictError } from './errors.ts';

test('transfer samples round-trip per run in arrival order; a missing run or a zero size is refused', () => {
  const home = mkdtempSync(join(tmpdir(), 'edgetree-xfer-store-'));
  try {
    const db = openStore(home);
    const run = createRun(db, 'transfer-calibration', { bandwidthsMbps: [4] });
    const other = createRun(db, 'transfer-calibration', {});
    const a = { bandwidthMbps: 4, bytes: 16384, ms: 33.1, repeat: 0, link: 'netns-tbf', measuredAt: '2025-01-01T00:00:00.000Z' };
    const b = { ...a, bytes: 1048576, ms: 2190.5 };
    insertTransferSample(db, run.id, a);
    insertTransferSample(db, other.id, { ...a, ms: 1 });
    insertTransferSample(db, run.id, b);
    assert.deepEqual(listTransferSamples(db, run.id), [a, b]);
    assert.throws(() => insertTransferSample(db, '999', a), (e: unknown) => e instanceof StoreConflictError && /run 999/.test(e.message));
    assert.throws(() => insertTransferSample(db, run.id, { ...a, bytes: 0 }), /0 bytes at 4 Mbit\/s/);
    assert.equal(listTransferSamples(db, run.id).length, 2);
    db.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
