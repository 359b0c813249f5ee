import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDeviceProfile, serializeDeviceProfile } from './profile-json.ts';
import { ProfileFormatError } from './errors.ts';
import type { DeviceProfile } from './device-profile.ts';

const profile: DeviceProfile = {
  formatVersion: 1,
  name: 'Pixel 4 / onnxruntime-cpu',
  device: { id: '9A301FFAZ00123', model: 'Pixel 4', os: 'Android 13', abi: 'arm64-v8a', cores: 8 },
  backend: 'onnxruntime-cpu',
  createdAt: '2025-01-02T03:04:05Z',
  compute: [
    { layerType: 'conv', kernel: 3, slopeMsPerMacc: 2e-7, interceptMs: 0.12, slopeMsPerWeight: 1.5e-7, r2: 0.98, points: 40 },
    { layerType: 'depthwise', kernel: 3, slopeMsPerMacc: 5e-7, interceptMs: 0.05 },
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 1e-7, interceptMs: -0.01 },
  ],
  otherLayerMs: 0.02,
  elementLines: [
    { layerType: 'bn', slopeMsPerElement: 3.4e-6, interceptMs: 0.003, r2: 0.999, points: 7 },
    { layerType: 'add', slopeMsPerElement: 6e-7, interceptMs: -0.001 },
  ],
  cache: { bytes: 33_554_432, source: 'sysfs' },
  cacheProbe: { bytes: 16_777_216, memoryRatio: 2.6 },
  cold: {
    cacheBytes: 33_554_432,
    compute: [{ layerType: 'conv', kernel: 3, slopeMsPerMacc: 3e-7, interceptMs: 0.15, r2: 0.97, points: 9 }],
    elementLines: [{ layerType: 'bn', slopeMsPerElement: 4e-6, interceptMs: 0.004 }],
  },
  transfer: [{ bandwidthMbps: 10, interceptMs: 20, slopeMsPerByte: 1e-6 }],
};

const expectPathError = (json: unknown, path: string, problem: RegExp): void => {
  assert.throws(() => parseDeviceProfile(json, 'pixel4.json'), (e: unknown) => {
    assert.ok(e instanceof ProfileFormatError, String(e));
    assert.equal(e.path, path);
    assert.ok(e.message.startsWith(`pixel4.json: ${path}: `), e.message);
    assert.match(e.message, problem);
    return true;
  });
};

describe('device profile JSON', () => {
  test('serialise then parse gives the same profile', () => {
    const text = serializeDeviceProfile(profile);
    assert.deepEqual(parseDeviceProfile(JSON.parse(text), 'pixel4.json'), profile);
    // The minimal profile: no optional fields.
    const minimal: DeviceProfile = { formatVersion: 1, name: 'm', device: { id: 'local' }, compute: [], transfer: [] };
    assert.deepEqual(parseDeviceProfile(JSON.parse(serializeDeviceProfile(minimal)), 'm.json'), minimal);
  });

  test('fc kernel may be left out and reads as null', () => {
    const json = JSON.parse(serializeDeviceProfile(profile));
    delete json.compute[2].kernel;
    assert.equal(parseDeviceProfile(json, 'p.json').compute[2].kernel, null);
  });

  test('every wrong field is named by its JSON path', () => {
    const base = (): Record<string, unknown> => JSON.parse(serializeDeviceProfile(profile));
    expectPathError('x', '$', /expected an object, got string "x"/);
    expectPathError({ ...base(), formatVersion: 2 }, '$.formatVersion', /expected 1, got number 2/);
    expectPathError({ ...base(), name: '' }, '$.name', /non-empty string/);
    expectPathError({ ...base(), device: { id: 'a', cores: 0 } }, '$.device.cores', /must be >= 1, got 0/);
    expectPathError({ ...base(), colour: 'red' }, '$.colour', /unknown field/);
    const j = base();
    (j.compute as Record<string, unknown>[])[0].kernel = null;
    expectPathError(j, '$.compute[0].kernel', /conv needs a whole kernel size >= 1, got null/);
    const k = base();
    (k.compute as Record<string, unknown>[])[1].layerType = 'pool';
    expectPathError(k, '$.compute[1].layerType', /expected one of conv, depthwise, fc, got string "pool"/);
    const s = base();
    (s.compute as Record<string, unknown>[])[0].slopeMsPerMacc = -1;
    expectPathError(s, '$.compute[0].slopeMsPerMacc', /must be >= 0, got -1/);
    const sw = base();
    (sw.compute as Record<string, unknown>[])[0].slopeMsPerWeight = -1e-7;
    expectPathError(sw, '$.compute[0].slopeMsPerWeight', /must be >= 0, got -1e-7/);
    expectPathError({ ...base(), cacheProbe: { bytes: 0, memoryRatio: 2 } }, '$.cacheProbe.bytes', /must be >= 1, got 0/);
    const d = base();
    (d.compute as unknown[]).push({ layerType: 'conv', kernel: 3, slopeMsPerMacc: 1, interceptMs: 0 });
    expectPathError(d, '$.compute[3]', /a second line for conv k=3 \(the first is \$\.compute\[0\]\)/);
    const f = base();
    (f.compute as Record<string, unknown>[])[2].kernel = 1;
    expectPathError(f, '$.compute[2].kernel', /fc has no kernel/);
    const w = base();
    (w.transfer as Record<string, unknown>[])[0].bandwidthMbps = 0;
    expectPathError(w, '$.transfer[0].bandwidthMbps', /must be > 0, got 0/);
    const n = base();
    (n.transfer as Record<string, unknown>[])[0].interceptMs = 'fast';
    expectPathError(n, '$.transfer[0].interceptMs', /expected a finite number, got string "fast"/);
    expectPathError({ ...base(), transfer: undefined }, '$.transfer', /expected an array, got nothing/);
  });

  test('element lines: wrong type, negative slope, a repeated type and unknown fields are named by path', () => {
    type Raw = Record<string, unknown> & { elementLines: Record<string, unknown>[]; cold: Record<string, unknown> & { compute: Record<string, unknown>[] } };
    const base = (): Raw => JSON.parse(serializeDeviceProfile(profile)) as Raw;
    const t = base();
    t.elementLines[0].layerType = 'conv';
    expectPathError(t, '$.elementLines[0].layerType', /expected one of bn, activation, add, concat, maxpool, avgpool, gap, flatten, got string "conv"/);
    const s = base();
    s.elementLines[1].slopeMsPerElement = -1e-9;
    expectPathError(s, '$.elementLines[1].slopeMsPerElement', /must be >= 0/);
    const d = base();
    d.elementLines[1].layerType = 'bn';
    expectPathError(d, '$.elementLines[1].layerType', /a second line for bn \(the first is \$\.elementLines\[0\]\)/);
    const u = base();
    u.elementLines[0].slopeMsPerMacc = 1;
    expectPathError(u, '$.elementLines[0].slopeMsPerMacc', /unknown field/);
    expectPathError({ ...base(), elementLines: {} }, '$.elementLines', /expected an array/);
    const c = base();
    c.cold.cacheBytes = 0;
    expectPathError(c, '$.cold.cacheBytes', /must be >= 1, got 0/);
    const c2 = base();
    c2.cold.compute.push({ ...c2.cold.compute[0] });
    expectPathError(c2, '$.cold.compute[1]', /a second line for conv k=3 \(the first is \$\.cold\.compute\[0\]\)/);
    // The cache's source is one of the four, or unknown with no size.
    expectPathError({ ...base(), cache: { bytes: 1024, source: 'dmidecode' } }, '$.cache.source', /expected one of sysfs, cpuinfo, getconf, lscpu, unknown, got string "dmidecode"/);
    expectPathError({ ...base(), cache: { bytes: 1024, source: 'unknown' } }, '$.cache.bytes', /an unknown cache has bytes null, got number 1024/);
    expectPathError({ ...base(), cache: { bytes: null, source: 'cpuinfo' } }, '$.cache.bytes', /expected a finite number, got null/);
    assert.deepEqual(parseDeviceProfile({ ...base(), cache: { bytes: null, source: 'unknown' } }, 'vm.json').cache, { bytes: null, source: 'unknown' });
    // A profile written before element lines existed still reads, without them.
    const old: Record<string, unknown> = base();
    delete old.elementLines;
    assert.equal(parseDeviceProfile(old, 'old.json').elementLines, undefined);
  });
});
