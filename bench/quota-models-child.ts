/**
 * Child of bench/cpu-quota.bench.ts: times the validation models named in argv on TF.js
 * WASM after it has joined a quota (it reads "go" on stdin first), and prints one JSON line
 * per model: its median and mean run, whole runs timed back to back for ~1.5 s, and the
 * process's CPU time over that wall time (above 1 where Node's helper threads work beside it).
 */
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { SpecExecutor } from '../dnn/tfjs/spec-executor.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';
import { validationModels } from '../profiler/validation/validation-set.ts';
import { median } from '../latency/fit/least-squares.ts';

const names = process.argv.slice(2);
await initTfjsBackend();
await new Promise((resolve) => process.stdin.once('data', resolve));
for (const spec of validationModels().filter((m) => names.includes(m.name))) {
  const ex = new SpecExecutor(spec, initWeights(spec, 1));
  const x = tf.randomNormal([1, ...spec.inputShape], 0, 1, 'float32', 1) as tf.Tensor4D;
  const run = (): void => {
    const y = ex.predict(x);
    y.dataSync();
    y.dispose();
  };
  const warm = performance.now();
  while (performance.now() - warm < 300) run();
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (times.length < 15 || performance.now() - start < 1500) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(`${JSON.stringify({ name: spec.name, medianMs: median(times), meanMs: times.reduce((a, b) => a + b, 0) / times.length, runs: times.length, cpuPerWall: cpuMs / wallMs })}\n`);
  x.dispose();
  ex.dispose();
}
process.exit(0);
