/**
 * Cloud offload server throughput and memory: alexnet (CIFAR-10) cut in the
 * middle, one device against eight at once, in the same run. The server runs in
 * its own process (`edgetree cloud serve`), so its resident memory is sampled
 * alone from /proc; the devices are fetch loops in this process, each sending
 * its next request when the last one is answered. Prints; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { SpecExecutor } from '../dnn/tfjs/spec-executor.ts';
import { loadBaseWeights } from '../cloud/base-weights.ts';
import { offloadInference } from '../cloud/offload-client.ts';
import { splitRequest } from '../cloud/testing/split-request.ts';

const PHASE_MS = 4000;
const base = loadBaseWeights('alexnet', 'cifar10');
const spec = base.spec;
const CUT = Math.floor(spec.layers.length / 2);

const bin = new URL('../bin/edgetree.mjs', import.meta.url).pathname;
const child = spawn(process.execPath, [bin, 'cloud', 'serve', '--model', 'alexnet', '--dataset', 'cifar10', '--port', '0', '--token', 'bench', '--max-queue', '8', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
const summary = await new Promise<{ url: string; backend: string }>((resolve) => {
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    try { resolve(JSON.parse(out) as { url: string; backend: string }); } catch { /* not complete yet */ }
  });
});

function rssMiB(field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

await initTfjsBackend();
const device = new SpecExecutor(spec, base.weights);
const x = tf.randomNormal([1, ...spec.inputShape], 0, 1, 'float32', 1) as tf.Tensor4D;
const request = splitRequest(device, 'alexnet/cifar10', CUT, x);
x.dispose();
device.dispose();
const payload = request.tensors.reduce((s, t) => s + t.data.byteLength, 0);

interface Phase { devices: number; rps: number; medianRoundTripMs: number; medianCloudMs: number; peakRssMiB: number; errors: number }

async function phase(devices: number): Promise<Phase> {
  const roundTrips: number[] = [];
  const cloud: number[] = [];
  let errors = 0;
  let peak = rssMiB('VmRSS');
  const sampler = setInterval(() => { peak = Math.max(peak, rssMiB('VmRSS')); }, 10);
  const end = performance.now() + PHASE_MS;
  const start = performance.now();
  await Promise.all(Array.from({ length: devices }, async () => {
    while (performance.now() < end) {
      try {
        const r = await offloadInference(summary.url, 'bench', request, { timeoutMs: 30_000 });
        roundTrips.push(r.roundTripMs);
        cloud.push(r.cloudMs);
      } catch {
        errors += 1;
      }
    }
  }));
  const elapsed = performance.now() - start;
  clearInterval(sampler);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return { devices, rps: (roundTrips.length / elapsed) * 1000, medianRoundTripMs: median(roundTrips), medianCloudMs: median(cloud), peakRssMiB: peak, errors };
}

const idle = rssMiB('VmRSS');
await phase(1); // warm-up: first-run allocations and JIT, not reported
const one = await phase(1);
const eight = await phase(8);
console.log(`server backend: ${summary.backend}; alexnet/cifar10 cut ${CUT} of ${spec.layers.length}, ${payload} payload bytes per request; idle server RSS ${idle.toFixed(0)} MiB`);
for (const p of [one, eight]) {
  console.log(`${String(p.devices).padStart(2)} device(s): ${p.rps.toFixed(0).padStart(5)} req/s  round trip ${p.medianRoundTripMs.toFixed(2)} ms  cloud ${p.medianCloudMs.toFixed(2)} ms  peak server RSS ${p.peakRssMiB.toFixed(0)} MiB  errors ${p.errors}`);
}
console.log(`8 vs 1 device: throughput x${(eight.rps / one.rps).toFixed(2)}, peak RSS x${(eight.peakRssMiB / one.peakRssMiB).toFixed(2)} (server VmHWM ${rssMiB('VmHWM').toFixed(0)} MiB)`);
child.kill('SIGTERM');
await new Promise((resolve) => child.on('exit', resolve));
