/**
 * Child of bench/cpu-quota.bench.ts: in a fresh process (that has joined a quota, or not),
 * times one validation model twice with the runner's own timing (runModelTiming, ownTiming's
 * batches): first after argv[3] ms of warm-up, then again after 300 ms. Prints one JSON line:
 * both totals and the second timing's conv layers.
 */
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { runModelTiming } from '../profiler/runner/run-bench-cases.ts';
import { validationModels } from '../profiler/validation/validation-set.ts';
import { ownTiming } from '../profiler/hosts/own-cpu-quota.ts';

const [name, warm] = [process.argv[2], Number(process.argv[3])];
const info = await initTfjsBackend();
await new Promise((resolve) => process.stdin.once('data', resolve));
const spec = validationModels().find((m) => m.name === name);
if (spec === undefined) throw new Error(`no validation model ${name}`);
const opts = { tf, backend: info.description, now: () => performance.now(), warmup: 5, repeats: 10, timedMs: 500, batchMs: ownTiming().batchMs };
const first = await runModelTiming(spec, { ...opts, warmupMs: warm });
const second = await runModelTiming(spec, { ...opts, warmupMs: 300 });
const convs = second.layers.filter((l) => l.type === 'conv').map((l) => ({ id: l.layerId, ms: l.medianMs }));
process.stdout.write(`${JSON.stringify({ first: first.total.medianMs, second: second.total.medianMs, convs })}\n`);
process.exit(0);
