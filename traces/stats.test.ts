import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { traceStats, weightedQuantile } from './stats.ts';
import { checkTrace, rateAt, traceDurationS, type BandwidthTrace } from './trace.ts';
import { InvalidTraceError } from './errors.ts';

// 4 Mbit/s for 2 s, an outage for 1 s, 10 Mbit/s for 3 s, 2 Mbit/s for 2 s: 8 s in all.
const steps: BandwidthTrace = { name: 'steps', format: 'csv', tS: [0, 2, 3, 6], mbps: [4, 0, 10, 2], endS: 8 };

describe('trace statistics', () => {
  test('time-weighted mean and quartiles of a hand-made trace', () => {
    const s = traceStats(steps);
    assert.equal(s.samples, 4);
    assert.equal(s.durationS, 8);
    // (4*2 + 0*1 + 10*3 + 2*2) / 8 = 42 / 8 = 5.25 (the plain mean of the samples would be 4).
    assert.equal(s.meanMbps, 5.25);
    assert.equal(s.minMbps, 0);
    assert.equal(s.maxMbps, 10);
    // Rates sorted with their time: 0 (1 s), 2 (2 s), 4 (2 s), 10 (3 s); cumulative 1, 3, 5, 8 of 8 s.
    // 25% of 8 s = 2 s is reached at rate 2; 50% = 4 s at rate 4; 75% = 6 s at rate 10.
    assert.equal(s.p25Mbps, 2);
    assert.equal(s.p50Mbps, 4);
    assert.equal(s.p75Mbps, 10);
    // Exactly on a boundary: 1/8 of the time is at rate 0 or less.
    assert.equal(weightedQuantile(steps, 0.125), 0);
    assert.equal(weightedQuantile(steps, 0), 0);
    assert.equal(weightedQuantile(steps, 1), 10);
  });

  test('without endS the last sample holds for the median interval', () => {
    const t: BandwidthTrace = { name: 'x', format: 'time-mbps', tS: [0, 1, 2, 4], mbps: [1, 1, 1, 5] };
    // Gaps 1, 1, 2: median 1, so the 5 Mbit/s sample holds 1 s and the trace lasts 5 s.
    assert.equal(traceDurationS(t), 5);
    // (1*1 + 1*1 + 1*2 + 5*1) / 5 = 9 / 5.
    assert.equal(traceStats(t).meanMbps, 1.8);
  });

  test('rateAt follows the steps and loops past the end', () => {
    assert.equal(rateAt(steps, 0), 4);
    assert.equal(rateAt(steps, 2.5), 0);
    assert.equal(rateAt(steps, 3), 10);
    assert.equal(rateAt(steps, 7.99), 2);
    assert.equal(rateAt(steps, 8), 4);
    assert.equal(rateAt(steps, 8 + 6.5), 2);
  });

  test('checkTrace refuses broken traces', () => {
    assert.equal(checkTrace(steps), steps);
    assert.throws(() => checkTrace({ ...steps, tS: [0, 3, 2, 6] }), InvalidTraceError);
    assert.throws(() => checkTrace({ ...steps, mbps: [4, -1, 10, 2] }), /trace "steps": rate of sample 1 is -1 Mbit\/s/);
    assert.throws(() => checkTrace({ ...steps, tS: [1, 2, 3, 6] }), /first sample is at 1 s/);
    assert.throws(() => checkTrace({ ...steps, endS: 6 }), /endS 6 s is not after the last sample/);
    assert.throws(() => checkTrace({ ...steps, mbps: [4] }), /4 times but 1 rates/);
  });
});
