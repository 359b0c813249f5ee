import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, recognises } from './mahimahi.ts';
import { TraceParseError } from '../errors.ts';
import { traceDurationS } from '../trace.ts';

const shared = new URL('../../../shared/data/traces/mahimahi-cellular/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, shared), 'utf8');

describe('mahimahi traces', () => {
  test('ATT-LTE-driving-2016.down: bins of 1 s counted by hand', () => {
    const text = read('ATT-LTE-driving-2016.down');
    assert.equal(recognises('ATT-LTE-driving-2016.down', text), true);
    const t = parse('ATT-LTE-driving-2016.down', text);
    // `wc -l` = 45604 lines; the last timestamp is 120002 ms, so the trace lasts 120.002 s:
    // 120 whole 1 s bins plus a 2 ms bin [120000, 120002].
    assert.equal(t.format, 'mahimahi');
    assert.equal(t.name, 'ATT-LTE-driving-2016.down');
    assert.equal(t.tS.length, 121);
    assert.equal(traceDurationS(t), 120.002);
    assert.equal(t.tS[5], 5);
    // awk '$1<1000' | wc -l = 2296 packets in bin 0: 2296 * 1500 B * 8 bit / 1 s = 27.552 Mbit/s.
    assert.ok(Math.abs(t.mbps[0] - 27.552) < 1e-9);
    // awk '$1>=5000 && $1<6000' | wc -l = 531 packets: 531 * 12000 bit / 1 s = 6.372 Mbit/s.
    assert.ok(Math.abs(t.mbps[5] - 6.372) < 1e-9);
    // Last bin: 2 packets (both stamped >= 120000) in 2 ms = 24000 bit / 0.002 s = 12 Mbit/s.
    assert.ok(Math.abs(t.mbps[120] - 12) < 1e-9);
    // Every packet is counted once: sum(rate * bin length) * 1e6 / 12000 = 45604 packets.
    let packets = 0;
    for (let i = 0; i < 121; i++) packets += (t.mbps[i] * (i < 120 ? 1 : 0.002) * 1e6) / 12000;
    assert.ok(Math.abs(packets - 45604) < 1e-6);
  });

  test('a file holding just "1" is a 12 Mbit/s link, as the mahimahi README says', () => {
    const t = parse('one.trace', '1\n');
    assert.deepEqual(t.tS, [0]);
    assert.ok(Math.abs(t.mbps[0] - 12) < 1e-12);
    assert.equal(traceDurationS(t), 0.001);
  });

  test('binMs option: 100 ms bins', () => {
    // 3 packets in [0,100), 1 in [100,200), trace ends at 200 ms (the last timestamp).
    const t = parse('small.down', '0\n0\n50\n200\n', { binMs: 100 });
    assert.deepEqual(t.tS, [0, 0.1]);
    // 3 * 12000 bit / 0.1 s = 0.36 Mbit/s; bin 1 holds the packet at 200 (the end): 0.12 Mbit/s.
    assert.ok(Math.abs(t.mbps[0] - 0.36) < 1e-12);
    assert.ok(Math.abs(t.mbps[1] - 0.12) < 1e-12);
  });

  test('bad files name the file and line', () => {
    assert.throws(() => parse('bad.down', '0\n5\n7x\n9\n'), (e: unknown) => {
      assert.ok(e instanceof TraceParseError);
      assert.equal(e.line, 3);
      assert.equal(e.message, 'bad.down line 3: expected one integer millisecond timestamp (mahimahi), got "7x"');
      return true;
    });
    assert.throws(() => parse('back.down', '0\n10\n8\n'), /back\.down line 3: time goes backwards: 8 ms after 10 ms on line 2/);
    assert.throws(() => parse('neg.down', '0\n-3\n'), /neg\.down line 2: expected one integer/);
    assert.throws(() => parse('empty.down', '\n\n'), /empty\.down: the file is empty/);
    assert.throws(() => parse('zero.down', '0\n0\n'), /zero\.down: too few samples/);
    assert.throws(() => parse('x.down', '1\n', { binMs: 0 }), /bin length/);
  });

  test('does not recognise two-column text', () => {
    assert.equal(recognises('norway_bus_1', '0.0\t4.03\n0.55\t4.79\n'), false);
  });
});
