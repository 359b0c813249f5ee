import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BandwidthEstimator, rateMbps } from './bandwidth-estimator.ts';

/** A clock the test moves by hand. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

describe('bandwidth estimator', () => {
  test('rate: 1000 bytes in 8 ms is 1 Mbit/s', () => {
    assert.equal(rateMbps(1000, 8), 1);
    assert.equal(rateMbps(125_000, 1000), 1);
  });

  test('passive: an exponentially weighted mean of the offloads (alpha 0.5: 1, then 2 -> 1.5, then 4 -> 2.75)', async () => {
    const c = clock();
    const e = new BandwidthEstimator({ probe: null, alpha: 0.5, staleMs: 100, minSampleBytes: 0, now: c.now });
    assert.deepEqual(await e.read(), { mbps: 0, source: 'unreachable', ageMs: Infinity, probeMs: 0 });
    e.record(1000, 8);
    e.record(1000, 4);
    c.advance(10);
    assert.deepEqual(await e.read(), { mbps: 1.5, source: 'passive', ageMs: 10, probeMs: 0 });
    e.record(1000, 2);
    assert.equal(e.mbps, 2.75);
    // No probe: a stale estimate is still the best there is.
    c.advance(5000);
    assert.equal((await e.read()).source, 'passive');
  });

  test('active: a probe when there is no estimate or it is stale, not while it is fresh', async () => {
    const c = clock();
    let probes = 0;
    const e = new BandwidthEstimator({
      alpha: 1, staleMs: 100, now: c.now,
      probe: () => {
        probes++;
        c.advance(4);
        return Promise.resolve({ bytes: 2000, ms: 4 });
      },
    });
    const first = await e.read();
    assert.deepEqual(first, { mbps: 4, source: 'probe', ageMs: 0, probeMs: 4 });
    c.advance(50);
    assert.equal((await e.read()).source, 'passive');
    assert.equal(probes, 1);
    c.advance(51);
    assert.equal((await e.read()).source, 'probe');
    assert.equal(probes, 2);
    // An offload too small to time a rate (under 4096 bytes by default) changes nothing.
    e.record(500, 4);
    assert.equal(e.sampleCount, 2);
    assert.equal(e.mbps, 4);
    // A large one replaces it (alpha 1) and is fresh again.
    e.record(5000, 40);
    assert.deepEqual(await e.read(), { mbps: 1, source: 'passive', ageMs: 0, probeMs: 0 });
  });

  test('background refresh: only the first reading waits for its probe; a stale one is used at once while a probe refreshes it (one at a time)', async () => {
    const c = clock();
    const rates = [4, 1];
    let probes = 0;
    let land: (() => void) | null = null;
    const e = new BandwidthEstimator({
      alpha: 1, staleMs: 100, now: c.now, refresh: 'background',
      probe: () => {
        const mbps = rates[probes++];
        // The first probe answers at once; the second waits until the test lets it land.
        if (probes === 1) return Promise.resolve({ bytes: mbps * 1000, ms: 8 });
        return new Promise((resolve) => { land = () => resolve({ bytes: mbps * 1000, ms: 8 }); });
      },
    });
    assert.deepEqual(await e.read(), { mbps: 4, source: 'probe', ageMs: 0, probeMs: 0 });
    c.advance(150);
    // Stale: the old 4 Mbit/s at once, no probe time paid; a probe has started.
    assert.deepEqual(await e.read(), { mbps: 4, source: 'passive', ageMs: 150, probeMs: 0 });
    assert.equal(probes, 2);
    await e.read();
    assert.equal(probes, 2, 'no second probe while one is in flight');
    assert.ok(land !== null);
    (land as () => void)();
    await e.settled();
    assert.deepEqual(await e.read(), { mbps: 1, source: 'passive', ageMs: 0, probeMs: 0 });
  });

  test('a failed probe reads 0 Mbit/s (the poorest type) and the next read probes again; invalidate forgets', async () => {
    const c = clock();
    let up = false;
    const e = new BandwidthEstimator({ staleMs: 100, now: c.now, probe: () => (up ? Promise.resolve({ bytes: 1000, ms: 1 }) : Promise.reject(new Error('refused'))) });
    assert.equal((await e.read()).source, 'unreachable');
    assert.equal(e.mbps, null);
    up = true;
    assert.deepEqual(await e.read(), { mbps: 8, source: 'probe', ageMs: 0, probeMs: 0 });
    e.invalidate();
    up = false;
    assert.deepEqual(await e.read(), { mbps: 0, source: 'unreachable', ageMs: Infinity, probeMs: 0 });
  });

  test('bad settings are refused by name', () => {
    assert.throws(() => new BandwidthEstimator({ probe: null, alpha: 0 }), /alpha must be in \(0, 1\], got 0/);
    assert.throws(() => new BandwidthEstimator({ probe: null, staleMs: -1 }), /staleMs must be >= 0, got -1/);
  });
});
