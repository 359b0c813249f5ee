import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { findCacheKnee } from './cache-knee.ts';
import { FitError } from './errors.ts';
import { cacheLine } from '../describe-cache.ts';
import type { DeviceProfile } from '../device-profile.ts';

const MIB = 2 ** 20;
const probe = (msPerMiB: Record<number, number>) => Object.entries(msPerMiB).map(([mib, per]) => ({ caseId: `fc-${mib}`, weightBytes: Number(mib) * MIB, medianMs: Number(mib) * per }));

describe('the cache probe', () => {
  test('finds the knee where a warm repeat starts reading its weights from memory', () => {
    // As ONNX Runtime ran here: ~0.05 ms per MiB from the cache, past 32 MiB ~0.15.
    const k = findCacheKnee(probe({ 1: 0.04, 2: 0.05, 4: 0.05, 8: 0.055, 16: 0.06, 32: 0.07, 64: 0.15 }));
    assert.equal(k.bytes, 32 * MIB);
    assert.ok(Math.abs(k.memoryRatio - 0.15 / 0.05) < 1e-9, 'against the median of the three smallest');
    assert.deepEqual(k.points.map((p) => p.weightBytes / MIB), [1, 2, 4, 8, 16, 32, 64]);
  });

  test('a step from L2 to L3 smaller than the one to memory does not pass for the knee', () => {
    const k = findCacheKnee(probe({ 1: 0.03, 2: 0.045, 4: 0.05, 8: 0.05, 16: 0.14, 32: 0.15, 64: 0.15 }));
    assert.equal(k.bytes, 8 * MIB);
  });

  test('one probe slowed by a burst of load below the knee does not move it', () => {
    const k = findCacheKnee(probe({ 1: 0.016, 2: 0.04, 4: 0.017, 8: 0.017, 16: 0.019, 32: 0.022, 64: 0.036 }));
    assert.equal(k.bytes, 32 * MIB);
  });

  test('a runtime not held up by memory shows no knee', () => {
    const k = findCacheKnee(probe({ 1: 1, 2: 1.05, 4: 1.1, 8: 1.0, 16: 1.1, 32: 1.2, 64: 1.2 }));
    assert.equal(k.bytes, null);
    assert.ok(k.memoryRatio < 1.5);
  });

  test('bad timings are refused by name', () => {
    assert.throws(() => findCacheKnee([...probe({ 1: 1, 2: 1 }), { caseId: 'fc-probe-4', weightBytes: 4 * MIB, medianMs: Number.NaN }]), (e: unknown) => e instanceof FitError && /cache probe "fc-probe-4"/.test(e.message));
    assert.throws(() => findCacheKnee(probe({ 1: 1, 2: 1 })), /at least 3 sizes, got 2/);
  });

  test('the cache line says where the cold lines start and why', () => {
    const base: DeviceProfile = { formatVersion: 1, name: 'p', device: { id: 'local' }, compute: [], transfer: [], cache: { bytes: 508 * MIB, source: 'getconf' } };
    const cold = { cacheBytes: 32 * MIB, compute: [] };
    assert.equal(cacheLine({ ...base, cacheProbe: { bytes: 32 * MIB, memoryRatio: 2.94 }, cold }),
      'last-level cache: 508 MiB (from getconf); cache probe: warm repeats ran up to 2.9x slower per weight past 32 MiB; models whose weights exceed 32 MiB (measured by the cache probe) are estimated toward the cache-cold lines, by the share of their weights past it');
    assert.equal(cacheLine({ ...base, cacheProbe: { bytes: null, memoryRatio: 1.1 }, cold: { ...cold, cacheBytes: 508 * MIB } }),
      'last-level cache: 508 MiB (from getconf); cache probe: no knee: the largest probe ran 1.1x the smallest\'s time per weight; models whose weights exceed 508 MiB (the reported cache) are estimated toward the cache-cold lines, by the share of their weights past it');
    assert.equal(cacheLine({ ...base, cache: { bytes: null, source: 'unknown' } }),
      'last-level cache: unknown (no answer from sysfs, /proc/cpuinfo, getconf or lscpu); no cache-cold lines, every model is estimated with the warm lines');
  });
});
