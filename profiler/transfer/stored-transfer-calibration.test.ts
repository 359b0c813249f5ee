// @serial: times real work and asserts on it; runs alone (scripts/run-tests.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../profiles/open-store.ts';
import { getRun } from '../../profiles/run-repository.ts';
import { listTransferSamples } from '../../profiles/transfer-sample-repository.ts';
import { calibrateTransferIntoStore } from './stored-transfer-calibration.ts';

test('a stored transfer calibration keeps every sample under its run and the fitted lines as the result; a cancel keeps what was measured', { timeout: 30000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'edgetree-xfer-run-'));
  const db = openStore(home);
  try {
    const cal = await calibrateTransferIntoStore(db, { bandwidthsMbps: [16], sizes: [8192, 65536], repeats: 2 });
    const stored = listTransferSamples(db, cal.runId);
    assert.deepEqual(stored.map((s) => [s.bandwidthMbps, s.bytes, s.ms]), cal.samples.map((s) => [s.bandwidthMbps, s.bytes, s.ms]));
    const run = getRun(db, cal.runId);
    assert.equal(run.status, 'done');
    assert.deepEqual((run.result as { lines: unknown }).lines, cal.lines);

    const abort = new AbortController();
    await assert.rejects(calibrateTransferIntoStore(db, {
      bandwidthsMbps: [16], sizes: [8192, 65536], repeats: 3, signal: abort.signal,
      onProgress: (e) => { if (e.done === 3) abort.abort(); },
    }), /cancelled after 3 of 6 uploads/);
    const cancelled = getRun(db, String(Number(cal.runId) + 1));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(listTransferSamples(db, cancelled.id).length, 3);
  } finally {
    db.close();
    rmSync(home, { recursive: true, force: true });
  }
});
