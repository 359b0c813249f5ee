import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parse, recognises } from './csv.ts';
import { TraceParseError } from '../errors.ts';

const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;
const assertRates = (got: number[], want: number[]): void => {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => assert.ok(close(g, want[i]), `rate ${i}: got ${g}, want ${want[i]}`));
};

describe('CSV traces', () => {
  test('header with recognisable names: time and rate columns found, unit read from the name', () => {
    const text = 'timestamp,lat,throughput_kbps\n100,59.9,2000\n101,59.9,500\n103,60.0,0\n';
    assert.equal(recognises('log.txt', text), true);
    const t = parse('log.txt', text);
    assert.equal(t.format, 'csv');
    // Times shifted to 0; kbps / 1000 = Mbit/s: 2000 kbit/s = 2, 500 = 0.5.
    assert.deepEqual(t.tS, [0, 1, 3]);
    assertRates(t.mbps, [2, 0.5, 0]);
  });

  test('columns named explicitly, semicolon delimiter, time in ms from the column name', () => {
    const text = 'Bytes/s;time_ms;Down\n1;0;125000\n1;500;250000\n1;1000;0\n';
    const t = parse('x.csv', text, { timeColumn: 'TIME_MS', rateColumn: 'down', rateUnit: 'Bps' });
    // 125000 byte/s * 8 = 1e6 bit/s = 1 Mbit/s; 250000 B/s = 2 Mbit/s; 500 ms = 0.5 s.
    assert.deepEqual(t.tS, [0, 0.5, 1]);
    assertRates(t.mbps, [1, 2, 0]);
  });

  test('no header: numbered columns, each rate unit', () => {
    const text = '7,0,3000000\n7,2,1500000\n7,4,0\n';
    // Column 3 in bit/s: 3e6 bit/s = 3 Mbit/s.
    assertRates(parse('n.csv', text, { timeColumn: '2', rateColumn: '3', rateUnit: 'bps' }).mbps, [3, 1.5, 0]);
    // Same numbers read as byte/s: 3e6 * 8 bit/s = 24 Mbit/s.
    assertRates(parse('n.csv', text, { timeColumn: '2', rateColumn: '3', rateUnit: 'Bps' }).mbps, [24, 12, 0]);
    // As kbit/s: 3e6 kbit/s = 3000 Mbit/s.
    assertRates(parse('n.csv', text, { timeColumn: '2', rateColumn: '3', rateUnit: 'kbps' }).mbps, [3000, 1500, 0]);
    // As Mbit/s, the default with no header to say otherwise.
    assertRates(parse('n.csv', text, { timeColumn: '2', rateColumn: '3' }).mbps, [3e6, 1.5e6, 0]);
    // Time in ms on request: 2 ms = 0.002 s.
    assert.deepEqual(parse('n.csv', text, { timeColumn: '2', rateColumn: '3', timeUnit: 'ms' }).tS, [0, 0.002, 0.004]);
  });

  test('no header and no options: columns 1 and 2, tab delimiter, quoted fields', () => {
    const t = parse('q.tsv', '"0"\t"4.5"\t"x"\n"1"\t"3"\t"y"\n');
    assert.deepEqual(t.tS, [0, 1]);
    assertRates(t.mbps, [4.5, 3]);
  });

  test('errors name the file, the line and the column', () => {
    const text = 'time,rate_mbps\n0,1\n1,2\n2,x3\n';
    assert.throws(() => parse('r.csv', text), (e: unknown) => {
      assert.ok(e instanceof TraceParseError);
      assert.equal(e.line, 4);
      assert.equal(e.message, 'r.csv line 4: rate column "rate_mbps" is "x3", expected a number');
      return true;
    });
    assert.throws(() => parse('r.csv', 'time,rate\n0,1\n1,-2\n'), /r\.csv line 3: negative rate -2 Mbit\/s/);
    assert.throws(() => parse('r.csv', 'time,rate\n0,1\n2,2\n1,2\n'), /r\.csv line 4: time goes backwards: 1 after 2 on line 3/);
    assert.throws(() => parse('r.csv', 'time,rate\n0,1\n1,2,3\n'), /r\.csv line 3: expected 2 fields separated by ",", got 3/);
    assert.throws(() => parse('r.csv', 'time,rate\n0,1\n1,2\n', { rateColumn: 'speed' }), /r\.csv line 1: no rate column "speed" in header/);
    assert.throws(() => parse('r.csv', '0,1\n1,2\n', { rateColumn: 'speed' }), /no header row/);
    assert.throws(() => parse('r.csv', '0,1\n1,2\n', { rateColumn: '5' }), /rate column 5 does not exist: the rows have 2 columns/);
    assert.throws(() => parse('r.csv', 'time,rate\n'), /r\.csv: the file holds no samples/);
    assert.throws(() => parse('r.csv', ''), /r\.csv: the file is empty/);
  });
});
