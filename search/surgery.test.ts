import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import type { ModelAnalysis } from '../dnn/spec/analyze.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import type { LayerSpec, ModelSpec } from '../dnn/spec/layer-spec.ts';
import { SeededRandom } from '../dnn/tfjs/seeded-random.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import { bestSingleCut, dnnSurgery } from './surgery.ts';
import { partitionLatency, prefixPartition } from './partition-latency.ts';

/** A random model on 4x4 maps (16 input channels): convs (1x1, 3x3 same, to 2, 4 or 16 channels), relus, adds and concats reading random earlier tensors. */
function randomModel(rng: SeededRandom, n: number, dag: boolean): ModelSpec {
  const channels: number[] = [];
  const layers: LayerSpec[] = [];
  // DAGs read the previous layer 60% of the time, else any earlier tensor (a skip connection).
  const pick = (): number => (dag && rng.uniform() < 0.4 ? Math.floor(rng.uniform() * (layers.length + 1)) - 1 : layers.length - 1);
  const id = (p: number): string => (p === -1 ? '@input' : layers[p].id);
  const ch = (p: number): number => (p === -1 ? 16 : channels[p]);
  for (let i = 0; i < n; i++) {
    const r = rng.uniform();
    const a = pick();
    if (dag && i >= 2 && r < 0.2) {
      // add: two distinct tensors of the same channel count, else a concat
      const b = pick();
      if (b !== a && ch(a) === ch(b)) {
        layers.push({ id: `l${i}`, type: 'add', inputs: [id(a), id(b)] });
        channels.push(ch(a));
      } else {
        layers.push({ id: `l${i}`, type: 'concat', inputs: [id(a), id(b)] });
        channels.push(ch(a) + ch(b));
      }
      continue;
    }
    const inputs = dag ? { inputs: [id(a)] } : {};
    if (r < 0.7) {
      const out = [2, 4, 16][Math.floor(rng.uniform() * 3)];
      layers.push({ id: `l${i}`, type: 'conv', kernel: rng.uniform() < 0.5 ? 1 : 3, padding: 'same', outChannels: out, ...inputs });
      channels.push(out);
    } else {
      layers.push({ id: `l${i}`, type: 'activation', activation: 'relu', ...inputs });
      channels.push(ch(a));
    }
  }
  return { name: `random-${dag ? 'dag' : 'chain'}-${n}`, inputShape: [4, 4, 16], layers };
}

function randomProfile(rng: SeededRandom, name: string, scale: number): DeviceProfile {
  const u = (lo: number, hi: number): number => lo + (hi - lo) * rng.uniform();
  return {
    formatVersion: 1,
    name,
    device: { id: name },
    compute: [
      { layerType: 'conv', kernel: 1, slopeMsPerMacc: scale * u(1e-5, 1e-3), interceptMs: scale * u(0, 1) },
      { layerType: 'conv', kernel: 3, slopeMsPerMacc: scale * u(1e-5, 1e-3), interceptMs: scale * u(0, 1) },
    ],
    elementLines: [
      { layerType: 'activation', slopeMsPerElement: scale * u(0, 1e-3), interceptMs: scale * u(0, 0.2) },
      { layerType: 'add', slopeMsPerElement: scale * u(0, 1e-3), interceptMs: scale * u(0, 0.2) },
      { layerType: 'concat', slopeMsPerElement: scale * u(0, 1e-3), interceptMs: scale * u(0, 0.2) },
    ],
    transfer: [
      { bandwidthMbps: 1, interceptMs: u(0, 5), slopeMsPerByte: u(0, 1e-3) },
      { bandwidthMbps: 50, interceptMs: u(0, 2), slopeMsPerByte: u(0, 1e-4) },
    ],
  };
}

/** The least latency over every partition closed under "reads from" (all subsets, checked). */
function exhaustiveBest(a: ModelAnalysis, device: DeviceProfile, cloud: DeviceProfile, mbps: number): number {
  const L = a.layers.length;
  const position = new Map(a.layers.map((l) => [l.layer.id, l.index]));
  let best = Infinity;
  for (let mask = 0; mask < 1 << L; mask++) {
    const onDevice = a.layers.map((_, i) => (mask & (1 << i)) !== 0);
    const closed = a.layers.every((l, i) => !onDevice[i] || l.inputIds.every((id) => id === '@input' || onDevice[position.get(id) as number]));
    if (closed) best = Math.min(best, partitionLatency(a, onDevice, device, cloud, mbps).totalMs);
  }
  return best;
}

function checkAgainstExhaustive(seed: number, dag: boolean, trials: number): void {
  const rng = new SeededRandom(seed);
  let interior = 0;
  for (let t = 0; t < trials; t++) {
    const a = analyzeModel(randomModel(rng, 3 + Math.floor(rng.uniform() * 8), dag));
    const device = randomProfile(rng, 'device', 1);
    const cloud = randomProfile(rng, 'cloud', 0.05 + rng.uniform());
    const mbps = Math.exp(Math.log(0.2) + rng.uniform() * Math.log(100));
    const got = dnnSurgery(a, device, cloud, mbps);
    const want = exhaustiveBest(a, device, cloud, mbps);
    assert.ok(Math.abs(got.latency.totalMs - want) <= 1e-9 * want, `${a.spec.name} trial ${t}: min-cut ${got.latency.totalMs} ms, exhaustive ${want} ms`);
    // The partition reported has the latency reported.
    assert.equal(partitionLatency(a, got.onDevice, device, cloud, mbps).totalMs, got.latency.totalMs);
    const onDevice = got.onDevice.filter((d) => d).length;
    if (onDevice > 0 && onDevice < a.layers.length) interior += 1;
    if (!dag) {
      const single = bestSingleCut(a, device, cloud, mbps);
      assert.ok(Math.abs(single.latency.totalMs - want) <= 1e-9 * want, `chain trial ${t}: best single cut ${single.latency.totalMs} vs ${want}`);
    }
  }
  // The random cases do exercise cuts strictly inside the model, not only the two ends.
  assert.ok(interior >= trials / 10, `only ${interior} of ${trials} optima cut inside the model`);
}

describe('DNN surgery (min-cut) against exhaustive partitions', () => {
  test('random small chains (seeded)', () => checkAgainstExhaustive(11, false, 150));
  test('random small DAGs with skip connections, adds and concats (seeded)', () => checkAgainstExhaustive(12, true, 150));

  test('a tensor read by two cloud layers is sent once', () => {
    // x (4x4x16) -> a (conv to 4 channels) -> b (relu) and c = add(a, b): cutting after a sends a once, read by b and c.
    const spec: ModelSpec = {
      name: 'fork',
      inputShape: [4, 4, 16],
      layers: [
        { id: 'a', type: 'conv', kernel: 1, outChannels: 4 },
        { id: 'b', type: 'activation', activation: 'relu' },
        { id: 'c', type: 'add', inputs: ['a', 'b'] },
      ],
    };
    const a = analyzeModel(spec);
    const device: DeviceProfile = { formatVersion: 1, name: 'd', device: { id: 'd' }, compute: [{ layerType: 'conv', kernel: 1, slopeMsPerMacc: 0, interceptMs: 0.1 }], otherLayerMs: 50, transfer: [] };
    const lat = partitionLatency(a, [true, false, false], device, null, 8);
    assert.equal(lat.sentBytes, 256); // 4x4x4 float32, once
    close(lat.transferMs, (256 * 8) / 8e3);
    const got = dnnSurgery(a, device, null, 8);
    assert.deepEqual(got.onDevice, [true, false, false]);
    assert.equal(got.cut, 1);
  });

  test('resnet18: the min-cut is a valid partition no worse than any single cut, and moves with the bandwidth', () => {
    const a = analyzeModel(builtinModel('resnet18', 'cifar10'));
    const device: DeviceProfile = {
      formatVersion: 1, name: 'phone', device: { id: 'phone' },
      compute: [
        ...[1, 3, 7].map((k) => ({ layerType: 'conv' as const, kernel: k, slopeMsPerMacc: 2e-7, interceptMs: 0.05 })),
        { layerType: 'fc', kernel: null, slopeMsPerMacc: 2e-7, interceptMs: 0.05 },
      ],
      otherLayerMs: 0.02,
      transfer: [{ bandwidthMbps: 10, interceptMs: 3, slopeMsPerByte: 1e-5 }],
    };
    const cloud: DeviceProfile = { ...device, name: 'server', compute: device.compute.map((c) => ({ ...c, slopeMsPerMacc: 5e-9, interceptMs: 0.01 })), otherLayerMs: 0.001 };
    let previousDevice = -1;
    for (const mbps of [0.01, 1, 5, 20, 100, 10000]) {
      const got = dnnSurgery(a, device, cloud, mbps);
      const single = bestSingleCut(a, device, cloud, mbps);
      assert.ok(got.latency.totalMs <= single.latency.totalMs + 1e-9, `${mbps} Mbit/s: ${got.latency.totalMs} > single cut ${single.latency.totalMs}`);
      const onDevice = got.onDevice.filter((d) => d).length;
      // More bandwidth never keeps more layers on the device.
      if (previousDevice >= 0) assert.ok(onDevice <= previousDevice, `${mbps} Mbit/s keeps ${onDevice} layers, more than ${previousDevice}`);
      previousDevice = onDevice;
    }
    assert.deepEqual(dnnSurgery(a, device, cloud, 0.01).onDevice, prefixPartition(a.layers.length, a.layers.length));
    assert.deepEqual(dnnSurgery(a, device, cloud, 10000).onDevice, prefixPartition(a.layers.length, 0));
  });
});

function close(a: number, b: number): void {
  assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);
}
