import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectTraceFormat, parseTraceFile } from './registry.ts';
import { TraceParseError } from '../errors.ts';

const shared = new URL('../../../shared/data/traces/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, shared), 'utf8');

describe('trace format registry', () => {
  test('detects each shared format', () => {
    assert.equal(detectTraceFormat('Verizon-LTE-short.down', read('mahimahi-cellular/Verizon-LTE-short.down')), 'mahimahi');
    assert.equal(detectTraceFormat('norway_bus_1', read('norway-hsdpa-3g/norway_bus_1')), 'time-mbps');
    assert.equal(detectTraceFormat('4g_trace_walking_60049_a', read('lumos5g/4G/4g_trace_walking_60049_a')), 'time-mbps');
    assert.equal(detectTraceFormat('a.csv', 'time,rate\n0,1\n'), 'csv');
    assert.equal(detectTraceFormat('README', read('mahimahi-cellular/README')), null);
  });

  test('parses a shared file by detection and by explicit format alike', () => {
    const text = read('norway-hsdpa-3g/norway_bus_1');
    const a = parseTraceFile('norway_bus_1', text);
    const b = parseTraceFile('norway_bus_1', text, { format: 'time-mbps' });
    // `wc -l norway_bus_1` = 266.
    assert.equal(a.tS.length, 266);
    assert.deepEqual(a, b);
  });

  test('binMs reaches the mahimahi parser', () => {
    const t = parseTraceFile('Verizon-LTE-short.down', read('mahimahi-cellular/Verizon-LTE-short.down'), { binMs: 500 });
    // Last timestamp 140000 ms: 280 bins of 500 ms.
    assert.equal(t.tS.length, 280);
  });

  test('column options select the CSV reader for a tab-separated file', () => {
    const t = parseTraceFile('x.tsv', 't\tkbit\n0\t1000\n1\t3000\n', { rateColumn: 'kbit', rateUnit: 'kbps' });
    assert.equal(t.format, 'csv');
    assert.deepEqual(t.mbps, [1, 3]);
  });

  test('an unrecognisable or empty file is a TraceParseError naming the file', () => {
    assert.throws(() => parseTraceFile('README', read('mahimahi-cellular/README')), (e: unknown) => {
      assert.ok(e instanceof TraceParseError);
      assert.match(e.message, /^README: unrecognised trace format/);
      return true;
    });
    assert.throws(() => parseTraceFile('empty.txt', '   \n'), /empty\.txt: the file is empty$/);
    // A README forced through a parser says which line is wrong.
    assert.throws(() => parseTraceFile('README', read('mahimahi-cellular/README'), { format: 'mahimahi' }), /README line 1: expected one integer/);
  });
});
