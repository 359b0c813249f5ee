import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { DeviceProfile } from './device-profile.ts';
import { estimateLatency, estimateLatencyUnderTrace, type LatencyEstimate } from './estimate.ts';
import { analysedLayerLatencyMs, elementLayerLatencyMs, layerLatencyMs, profileForRange, rangeLatencyMs } from './compute-latency.ts';
import { LatencyInputError, ProfileCoverageError } from './errors.ts';
import type { BandwidthTrace } from '../traces/trace.ts';

// Input 8x8x2 (float32: 8*8*2*4 = 512 bytes).
// 0 conv 3x3 pad 1 -> 8x8x4: MACC 3*3*2*4*8*8 = 4608; output 8*8*4*4 = 1024 bytes.
// 1 maxpool 2x2 -> 4x4x4: 256 bytes.  2 flatten -> 64: 256 bytes.  3 fc 10: MACC 64*10 = 640.
const spec: ModelSpec = {
  name: 'tiny',
  inputShape: [8, 8, 2],
  layers: [
    { id: 'c', type: 'conv', kernel: 3, padding: 1, outChannels: 4 },
    { id: 'p', type: 'maxpool', kernel: 2 },
    { id: 'f', type: 'flatten' },
    { id: 'd', type: 'fc', outChannels: 10 },
  ],
};
const analysis = analyzeModel(spec);

const edge: DeviceProfile = {
  formatVersion: 1,
  name: 'phone',
  device: { id: 'phone' },
  compute: [
    { layerType: 'conv', kernel: 3, slopeMsPerMacc: 0.001, interceptMs: 0.5 }, // conv: 0.5 + 4.608 = 5.108 ms
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 0.002, interceptMs: 0.1 }, // fc: 0.1 + 1.28 = 1.38 ms
  ],
  otherLayerMs: 0.05, // maxpool, flatten: 0.05 ms each
  transfer: [
    { bandwidthMbps: 1, interceptMs: 10, slopeMsPerByte: 0.001 },
    { bandwidthMbps: 100, interceptMs: 2, slopeMsPerByte: 0.0001 },
  ],
};
const cloud: DeviceProfile = {
  formatVersion: 1,
  name: 'server',
  device: { id: 'cloud' },
  compute: [
    { layerType: 'conv', kernel: 3, slopeMsPerMacc: 1e-5, interceptMs: 0.1 }, // 0.1 + 0.04608 = 0.14608 ms
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 1e-5, interceptMs: 0.05 }, // 0.05 + 0.0064 = 0.0564 ms
  ],
  transfer: [],
};

function assertEstimate(got: LatencyEstimate, want: LatencyEstimate): void {
  for (const k of ['edgeMs', 'transferMs', 'cloudMs', 'totalMs'] as const) {
    assert.ok(Math.abs(got[k] - want[k]) < 1e-9, `${k}: got ${got[k]}, want ${want[k]}`);
  }
}

describe('latency estimate (Eq. 3)', () => {
  test('the tiny model analyses as worked out above', () => {
    assert.deepEqual(analysis.layers.map((l) => l.macc), [4608, 0, 0, 640]);
    assert.deepEqual(analysis.cutBytes, [512, 1024, 256, 256, 0]);
  });

  test('per-layer latency from the profile lines', () => {
    assert.ok(Math.abs(layerLatencyMs(edge, 'conv', 3, 4608) - 5.108) < 1e-12);
    assert.ok(Math.abs(layerLatencyMs(edge, 'fc', undefined, 640) - 1.38) < 1e-12);
    assert.equal(layerLatencyMs(edge, 'maxpool', 2, 0), 0.05);
    assert.equal(layerLatencyMs(cloud, 'flatten', undefined, 0), 0);
    // Layers 0..1 on the edge: 5.108 + 0.05.
    assert.ok(Math.abs(rangeLatencyMs(analysis, edge, 0, 2) - 5.158) < 1e-12);
    assert.throws(() => rangeLatencyMs(analysis, edge, 3, 2), LatencyInputError);
  });

  test('zero-MACC layers cost their element line where the profile has one, else otherLayerMs', () => {
    // maxpool 2x2 on 8x8x4 -> 4x4x4: 64 outputs x 4 window reads = 256 elements: 0.01 + 0.001 * 256 = 0.266 ms.
    // flatten has no line: otherLayerMs 0.05. Whole model: 5.108 + 0.266 + 0.05 + 1.38 = 6.804 ms.
    const withLines: DeviceProfile = { ...edge, elementLines: [{ layerType: 'maxpool', slopeMsPerElement: 0.001, interceptMs: 0.01 }] };
    assert.ok(Math.abs(analysedLayerLatencyMs(withLines, analysis.layers[1]) - 0.266) < 1e-12);
    assert.equal(analysedLayerLatencyMs(withLines, analysis.layers[2]), 0.05);
    assert.ok(Math.abs(rangeLatencyMs(analysis, withLines, 0, 4) - 6.804) < 1e-12);
    assert.ok(Math.abs(estimateLatency(analysis, 4, withLines, null, 10).totalMs - 6.804) < 1e-12);
    // A line with a negative intercept never gives a negative time.
    assert.equal(elementLayerLatencyMs({ ...edge, elementLines: [{ layerType: 'bn', slopeMsPerElement: 1e-6, interceptMs: -0.1 }] }, 'bn', 100), 0);
    assert.throws(() => elementLayerLatencyMs(withLines, 'maxpool', -1), LatencyInputError);
  });

  test('a model whose weights exceed the cache is estimated toward the cold lines by the share of its weights the cache cannot hold', () => {
    // Weights: conv 3*3*2*4 + 4 = 76 params, fc 64*10 + 10 = 650: 726 params = 2,904 bytes.
    assert.equal(analysis.params, 726);
    const cold = { compute: [{ layerType: 'conv' as const, kernel: 3, slopeMsPerMacc: 0.002, interceptMs: 1 }, { layerType: 'fc' as const, kernel: null, slopeMsPerMacc: 0.004, interceptMs: 0.2 }] };
    const big: DeviceProfile = { ...edge, cold: { cacheBytes: 2_904, ...cold } };
    const small: DeviceProfile = { ...edge, cold: { cacheBytes: 2_903, ...cold } };
    // 2,904 bytes fit a 2,904-byte cache: warm lines, 5.108 + 0.05 + 0.05 + 1.38 = 6.588 ms.
    assert.ok(Math.abs(rangeLatencyMs(analysis, big, 0, 4) - 6.588) < 1e-12);
    // Half the cache: half the weights miss, each line halfway to its cold line. Cold alone: conv
    // 1 + 0.002 * 4608 = 10.216, fc 0.2 + 0.004 * 640 = 2.76; warm: 5.108 and 1.38; halfway
    // 7.662 + 0.1 + 2.07 = 9.832 ms.
    const half: DeviceProfile = { ...edge, cold: { cacheBytes: 1_452, ...cold } };
    assert.ok(Math.abs(rangeLatencyMs(analysis, half, 0, 4) - 9.832) < 1e-9);
    assert.ok(Math.abs(estimateLatency(analysis, 4, half, null, 10).totalMs - 9.832) < 1e-9);
    // One byte less than the weights: almost all warm; the further past the cache, the nearer the cold lines.
    const justPast = rangeLatencyMs(analysis, small, 0, 4);
    assert.ok(justPast > 6.588 && justPast < 6.6, `${justPast}`);
    const farPast = rangeLatencyMs(analysis, { ...edge, cold: { cacheBytes: 29, ...cold } }, 0, 4);
    assert.ok(Math.abs(farPast - (6.588 + (1 - 29 / 2_904) * (13.076 - 6.588))) < 1e-9, `${farPast}`);
    // Only the part the device runs counts: the conv alone (304 bytes) stays warm.
    assert.equal(profileForRange(analysis, small, 0, 1), small);
    assert.ok(Math.abs(rangeLatencyMs(analysis, small, 0, 1) - 5.108) < 1e-12);
  });

  test('cut after the flatten input (cut = 2) at 10 Mbit/s', () => {
    // Edge: conv 5.108 + maxpool 0.05 = 5.158 ms.
    // Transfer 256 bytes: 10 Mbit/s is half way between 1 and 100 in log W, so
    // f = (10 + (2 - 10) / 2) + (0.001 + (0.0001 - 0.001) / 2) * 256 = 6 + 0.00055 * 256 = 6.1408 ms;
    // S/W = 256 * 8 bit / 10e6 bit/s = 0.2048 ms; T_t = 6.3456 ms.
    // Cloud: flatten 0 + fc 0.0564 ms. Total 5.158 + 6.3456 + 0.0564 = 11.56 ms.
    assertEstimate(estimateLatency(analysis, 2, edge, cloud, 10), { edgeMs: 5.158, transferMs: 6.3456, cloudMs: 0.0564, totalMs: 11.56 });
  });

  test('all on the device (cut = L) sends nothing', () => {
    // 5.108 + 0.05 + 0.05 + 1.38 = 6.588 ms.
    assertEstimate(estimateLatency(analysis, 4, edge, cloud, 10), { edgeMs: 6.588, transferMs: 0, cloudMs: 0, totalMs: 6.588 });
  });

  test('all in the cloud (cut = 0) sends the input', () => {
    // 512 bytes at 10 Mbit/s: f = 6 + 0.00055 * 512 = 6.2816; S/W = 4096 / 1e7 s = 0.4096 ms; T_t = 6.6912 ms.
    // Cloud: 0.14608 + 0 + 0 + 0.0564 = 0.20248 ms.
    assertEstimate(estimateLatency(analysis, 0, edge, cloud, 10), { edgeMs: 0, transferMs: 6.6912, cloudMs: 0.20248, totalMs: 6.89368 });
  });

  test('without a cloud profile the cloud costs 0', () => {
    assertEstimate(estimateLatency(analysis, 2, edge, null, 10), { edgeMs: 5.158, transferMs: 6.3456, cloudMs: 0, totalMs: 11.5036 });
  });

  test('f(S|W) is clamped outside the profiled bandwidths', () => {
    // 0.5 Mbit/s uses the 1 Mbit/s line: 10 + 0.256 = 10.256; S/W = 2048 bit / 0.5e6 = 4.096 ms.
    assert.ok(Math.abs(estimateLatency(analysis, 2, edge, cloud, 0.5).transferMs - 14.352) < 1e-9);
    // 1000 Mbit/s uses the 100 Mbit/s line: 2 + 0.0256 = 2.0256; S/W = 2048 / 1e9 s = 0.002048 ms.
    assert.ok(Math.abs(estimateLatency(analysis, 2, edge, cloud, 1000).transferMs - 2.027648) < 1e-9);
  });

  test('bad cuts, bandwidths and uncovered layers are clear errors', () => {
    assert.throws(() => estimateLatency(analysis, 5, edge, cloud, 10), /cut 5 is not within model "tiny": expected a whole number from 0 \(all in the cloud\) to 4/);
    assert.throws(() => estimateLatency(analysis, 1.5, edge, cloud, 10), LatencyInputError);
    assert.throws(() => estimateLatency(analysis, 2, edge, cloud, 0), /bandwidth must be a finite number of Mbit\/s > 0, got 0/);
    const k5only: DeviceProfile = { ...edge, name: 'k5', compute: [{ layerType: 'conv', kernel: 5, slopeMsPerMacc: 1, interceptMs: 0 }, edge.compute[1]] };
    assert.throws(() => estimateLatency(analysis, 4, k5only, cloud, 10), (e: unknown) => {
      assert.ok(e instanceof ProfileCoverageError);
      assert.equal(e.message, 'profile "k5": has no line for conv with kernel 3: it has conv kernels 5');
      return true;
    });
    const noFc: DeviceProfile = { ...edge, name: 'nofc', compute: [edge.compute[0]] };
    assert.throws(() => estimateLatency(analysis, 4, noFc, cloud, 10), /profile "nofc": has no line for fc layers/);
    // Layers left in the cloud are not looked up on the edge profile.
    assert.equal(estimateLatency(analysis, 2, noFc, cloud, 10).edgeMs, 5.158);
  });

  test('under a trace the transfer starts when the edge is done', () => {
    // An outage for the first 10 ms, then 2.048 Mbit/s = 256000 byte/s until 1 s.
    const trace: BandwidthTrace = { name: 'gap', format: 'csv', tS: [0, 0.01], mbps: [0, 2.048], endS: 1 };
    // Edge 5.158 ms, so sending starts at 5.158 ms, in the outage: wait 4.842 ms, then
    // 256 bytes / 256000 byte/s = 1 ms. The rate at the start is 0: f uses the lowest line,
    // 10 + 0.001 * 256 = 10.256 ms. T_t = 4.842 + 1 + 10.256 = 16.098 ms.
    assertEstimate(estimateLatencyUnderTrace(analysis, 2, edge, cloud, trace, 0), {
      edgeMs: 5.158,
      transferMs: 16.098,
      cloudMs: 0.0564,
      totalMs: 21.3124,
    });
    assert.throws(() => estimateLatencyUnderTrace(analysis, 2, edge, cloud, trace, -1), /start time must be/);
  });
});

describe('latency estimate on the built-in vgg11 (cifar10)', () => {
  // Conv MACCs (Eq. 4), 3x3 kernels, spatial size halved by each pool from 32:
  // 9*3*64*32*32 = 1769472; 9*64*128*16*16 = 18874368; 9*128*256*8*8 = 18874368;
  // 9*256*256*8*8 = 37748736; 9*256*512*4*4 = 18874368; 9*512*512*4*4 = 37748736;
  // 9*512*512*2*2 = 9437184 twice. Sum: 152764416.
  // FC MACCs (Eq. 5): 512*512 + 512*512 + 512*10 = 529408. Total 153293824.
  const vgg = analyzeModel(builtinModel('vgg11', 'cifar10'));
  const flat: DeviceProfile = {
    formatVersion: 1,
    name: 'flat',
    device: { id: 'flat' },
    compute: [
      { layerType: 'conv', kernel: 3, slopeMsPerMacc: 1e-6, interceptMs: 0.1 },
      { layerType: 'fc', kernel: null, slopeMsPerMacc: 1e-6, interceptMs: 0.1 },
    ],
    transfer: [],
  };

  test('all on the device: 1 ns per MACC plus 0.1 ms for each of the 8 conv and 3 FC layers', () => {
    const e = estimateLatency(vgg, vgg.layers.length, flat, null, 10);
    assert.ok(Math.abs(e.edgeMs - (153.293824 + 1.1)) < 1e-9, String(e.edgeMs));
    assert.equal(e.transferMs, 0);
  });

  test('cut before the flatten: the 1x1x512 feature map goes over an 8 Mbit/s link', () => {
    const cut = vgg.layers.findIndex((l) => l.layer.type === 'flatten');
    // The fifth pool leaves 1x1x512 floats = 2048 bytes; 2048 * 8 bit / 8e6 bit/s = 2.048 ms.
    // Edge: the 8 convs, 152764416 MACCs * 1e-6 ms + 8 * 0.1 ms.
    const e = estimateLatency(vgg, cut, flat, null, 8);
    assert.equal(vgg.cutBytes[cut], 2048);
    assert.ok(Math.abs(e.edgeMs - (152.764416 + 0.8)) < 1e-9, String(e.edgeMs));
    assert.ok(Math.abs(e.transferMs - 2.048) < 1e-12);
  });
});
