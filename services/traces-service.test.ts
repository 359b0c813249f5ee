import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createTracesService, MAX_SERIES_POINTS } from './traces-service.ts';
import { createTestHome } from './test-home.ts';
import { TraceParseError } from '../traces/errors.ts';
import { TRACES_DIR as TRACES } from '../test/shared-data.ts';


describe('traces service', () => {
  test('a hand-made two-column trace: time-weighted mean and quartiles', () => {
    const h = createTestHome();
    try {
      const svc = createTracesService(h.db);
      // 1, 3, 2 Mbit/s for one second each: mean 2; a quarter of the time is at <= 1, three quarters at <= 3.
      const s = svc.importTrace({ fileName: 'steps.txt', content: '0 1\n1 3\n2 2\n' });
      assert.equal(s.format, 'time-mbps');
      assert.equal(s.samples, 3);
      assert.equal(s.durationS, 3);
      assert.equal(s.meanMbps, 2);
      assert.equal(s.p25Mbps, 1);
      assert.equal(s.p50Mbps, 2);
      assert.equal(s.p75Mbps, 3);
      assert.deepEqual(svc.listTraces().map((t) => t.id), [s.id]);
      const d = svc.showTrace(s.id);
      assert.deepEqual(d.series, { tS: [0, 1, 2], mbps: [1, 3, 2] });
    } finally {
      h.dispose();
    }
  });

  test('a file that fails to parse stores nothing', () => {
    const h = createTestHome();
    try {
      const svc = createTracesService(h.db);
      const good = svc.importTrace({ fileName: 'good.txt', content: '0 1\n1 2\n' });
      const bad = { fileName: 'bad.txt', content: '0 1\n1 2\n2 abc\n3 4\n', format: 'time-mbps' as const };
      assert.throws(() => svc.importTrace(bad), (err: unknown) => {
        assert.ok(err instanceof TraceParseError);
        assert.match(err.message, /bad\.txt/);
        assert.match(err.message, /line 3/);
        return true;
      });
      assert.deepEqual(svc.listTraces(), [good]);
      assert.equal((h.db.prepare('SELECT COUNT(*) AS n FROM traces').get() as { n: number }).n, 1);
    } finally {
      h.dispose();
    }
  });

  test('a long mahimahi trace keeps its samples and end, and charts at most 2000 points', () => {
    const h = createTestHome();
    try {
      const svc = createTracesService(h.db);
      const file = `${TRACES}/mahimahi-cellular/TMobile-UMTS-driving.down`;
      const text = readFileSync(file, 'utf8');
      const stamps = text.trim().split('\n');
      const lastMs = Number(stamps[stamps.length - 1]);
      const s = svc.importTrace({ fileName: 'TMobile-UMTS-driving.down', content: text });
      assert.equal(s.format, 'mahimahi');
      // 1 s bins up to the last timestamp (the last bin may be shorter).
      assert.equal(s.samples, Math.ceil(lastMs / 1000));
      assert.equal(s.durationS, lastMs / 1000);
      // Every line is one 1500-byte packet: 12 kbit = 0.012 Mbit each.
      assert.ok(Math.abs(s.meanMbps - (stamps.length * 0.012) / (lastMs / 1000)) < 1e-9);
      const d = svc.showTrace(s.id);
      assert.ok(d.series.tS.length <= MAX_SERIES_POINTS && d.series.tS.length > 0);
      assert.equal(d.series.tS.length, d.series.mbps.length);
    } finally {
      h.dispose();
    }
  });
});
