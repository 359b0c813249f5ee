import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, recognises } from './time-mbps.ts';
import { TraceParseError } from '../errors.ts';
import { traceDurationS } from '../trace.ts';

const shared = new URL('../../../shared/data/traces/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, shared), 'utf8');

describe('two-column time_s Mbit/s traces', () => {
  test('Norway HSDPA norway_ferry_2 (tab-separated, irregular steps)', () => {
    const text = read('norway-hsdpa-3g/norway_ferry_2');
    assert.equal(recognises('norway_ferry_2', text), true);
    const t = parse('norway_ferry_2', text);
    // `wc -l` = 61 lines, all with distinct increasing times.
    assert.equal(t.tS.length, 61);
    assert.equal(t.format, 'time-mbps');
    // Line 2: "1.44000005722<TAB>1.37159317001".
    assert.equal(t.tS[1], 1.44000005722);
    assert.equal(t.mbps[1], 1.37159317001);
    // Last sample at 74.5500001907 s; the 60 gaps sorted have 0.93 and 0.95 in the middle,
    // so the last sample holds their mean 0.94 s and the trace lasts 75.49 s.
    assert.ok(Math.abs(traceDurationS(t) - 75.49) < 1e-6);
  });

  test('Lumos5G 4g_trace_driving_50229_dr: a repeated second is merged', () => {
    const t = parse('4g_trace_driving_50229_dr', read('lumos5g/4G/4g_trace_driving_50229_dr'));
    // `wc -l` = 251 lines for seconds 0..249, with second 44 logged twice (90.0 and 86.5):
    // 250 samples, the one at 44 s is their mean 88.25, and the trace lasts 249 + 1 = 250 s.
    assert.equal(t.tS.length, 250);
    assert.equal(t.tS[44], 44);
    assert.equal(t.mbps[44], 88.25);
    assert.equal(t.mbps[45], 86);
    assert.equal(traceDurationS(t), 250);
  });

  test('Lumos5G 4g_trace_driving_50015_dr: one sample per second', () => {
    const t = parse('4g_trace_driving_50015_dr', read('lumos5g/4G/4g_trace_driving_50015_dr'));
    // `wc -l` = 250; first line "0 45.0", last "249 46.0".
    assert.equal(t.tS.length, 250);
    assert.equal(t.mbps[0], 45);
    assert.equal(t.mbps[249], 46);
    assert.equal(traceDurationS(t), 250);
  });

  test('times are shifted to start at 0', () => {
    const t = parse('late', '10 1\n12 2\n13 3\n');
    assert.deepEqual(t.tS, [0, 2, 3]);
    // Gaps 2 and 1: median 1.5, so the trace ends at 3 + 1.5.
    assert.equal(traceDurationS(t), 4.5);
  });

  test('bad files: the error names the file, the line and what is wrong', () => {
    const rows = ['0.0 4.0', '0.5 4.1', '1.0 3.9', '1.5 3.8', '2.0 3.7', '2.5 3.6'];
    const withLine7 = (l7: string): string => [...rows, l7, '3.5 3.0'].join('\n');
    assert.throws(() => parse('norway_bus_1', withLine7('12.0 abc')), (e: unknown) => {
      assert.ok(e instanceof TraceParseError);
      assert.equal(e.fileName, 'norway_bus_1');
      assert.equal(e.line, 7);
      assert.equal(e.message, 'norway_bus_1 line 7: expected 2 numeric columns "time_s Mbit/s", got "12.0 abc"');
      return true;
    });
    assert.throws(() => parse('neg', withLine7('3.0 -1.5')), /neg line 7: negative rate -1\.5 Mbit\/s$/);
    assert.throws(() => parse('back', withLine7('2.2 1.0')), /back line 7: time goes backwards: 2\.2 after 2\.5 on line 6/);
    assert.throws(() => parse('nan', withLine7('3.0 NaN')), /nan line 7: expected 2 numeric columns/);
    assert.throws(() => parse('three', withLine7('3.0 1 2')), /three line 7: expected 2 numeric columns "time_s Mbit\/s", got "3\.0 1 2"/);
    assert.throws(() => parse('empty', ''), /empty: the file is empty/);
    assert.throws(() => parse('one', '0 5\n'), /one: too few samples: 1 distinct time/);
    assert.throws(() => parse('same', '0 5\n0 6\n'), /same: too few samples/);
  });
});
