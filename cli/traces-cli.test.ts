import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';
import type { TraceDetail, TraceSummary } from '../api/studio-api.ts';
import { TRACES_DIR as TRACES } from '../test/shared-data.ts';

const cli = createCliHome();
after(() => cli.dispose());

/** The file's non-blank lines, as `grep -c .` counts them. */
function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

describe('edgetree traces', () => {
  test('a Norway HSDPA time/Mbit/s file: one sample per line', () => {
    const file = `${TRACES}/norway-hsdpa-3g/norway_bus_1`;
    const r = cli.run('traces', 'import', file, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const t = r.json<TraceSummary>();
    assert.equal(t.format, 'time-mbps');
    assert.equal(t.samples, 266);
    assert.equal(t.samples, lines(file).length);
    assert.ok(t.p25Mbps <= t.p50Mbps && t.p50Mbps <= t.p75Mbps);
    for (const k of ['id', 'name', 'durationS', 'meanMbps', 'p25Mbps', 'p75Mbps'] as const) assert.ok(k in t, k);
  });

  test('a Lumos5G file: 1 sample/s, so the duration is the line count and the mean the plain average', () => {
    const file = `${TRACES}/lumos5g/4G/4g_trace_driving_50015_dr`;
    const rows = lines(file).map((l) => l.trim().split(/\s+/).map(Number));
    const t = cli.run('traces', 'import', file, '--json').json<TraceSummary>();
    assert.equal(t.format, 'time-mbps');
    assert.equal(t.samples, 250);
    assert.equal(t.durationS, 250);
    close(t.meanMbps, rows.reduce((s, r) => s + r[1], 0) / rows.length, 'mean');
  });

  test('a mahimahi file: 1 s bins up to the last timestamp, 12 kbit per line', () => {
    const file = `${TRACES}/mahimahi-cellular/ATT-LTE-driving-2016.down`;
    const stamps = lines(file);
    assert.equal(stamps.length, 45604);
    assert.equal(stamps[stamps.length - 1], '120002');
    const t = cli.run('traces', 'import', file, '--format', 'mahimahi', '--json').json<TraceSummary>();
    assert.equal(t.format, 'mahimahi');
    assert.equal(t.samples, 121); // bins [0,1), ..., [119,120), [120, 120.002)
    close(t.durationS, 120.002, 'duration');
    close(t.meanMbps, (45604 * 0.012) / 120.002, 'mean');
  });

  test('a CSV with named columns in kbit/s', () => {
    const file = join(cli.home, 'steps.csv');
    writeFileSync(file, 'time_s,rate_kbps\n0,1000\n1,3000\n2,2000\n');
    const r = cli.run('traces', 'import', file, '--time-column', 'time_s', '--rate-column', 'rate_kbps', '--rate-unit', 'kbps', '--json');
    assert.equal(r.code, 0, r.stdout);
    const t = r.json<TraceSummary>();
    // 1, 3, 2 Mbit/s for a second each.
    assert.deepEqual([t.format, t.samples, t.durationS, t.meanMbps, t.p25Mbps, t.p50Mbps, t.p75Mbps], ['csv', 3, 3, 2, 1, 2, 3]);
    const shown = cli.run('traces', 'show', t.id, '--json').json<TraceDetail>();
    assert.deepEqual(shown.series, { tS: [0, 1, 2], mbps: [1, 3, 2] });
  });

  test('a corrupt file names the file and the line, and the stored traces stay as they were', () => {
    const before = cli.run('traces', 'list', '--json').json<TraceSummary[]>();
    assert.ok(before.length >= 1);
    const good = lines(`${TRACES}/norway-hsdpa-3g/norway_bus_1`);
    good[99] = '52.1 abc';
    const file = join(cli.home, 'corrupt_bus');
    writeFileSync(file, good.join('\n') + '\n');
    const r = cli.run('traces', 'import', file, '--json');
    assert.equal(r.code, 1);
    const err = r.json<{ error: { name: string; message: string } }>().error;
    assert.equal(err.name, 'TraceParseError');
    assert.match(err.message, /corrupt_bus/);
    assert.match(err.message, /line 100/);
    const plain = cli.run('traces', 'import', file);
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /corrupt_bus line 100/);
    assert.deepEqual(cli.run('traces', 'list', '--json').json<TraceSummary[]>(), before);
  });

  test('usage errors exit 2', () => {
    assert.equal(cli.run('traces', 'import', '--json').code, 2);
    assert.equal(cli.run('traces', 'import', 'x', '--format', 'pcap', '--json').code, 2);
    assert.equal(cli.run('traces', 'frobnicate').code, 2);
  });
});
