/**
 * Experiment: the same validation models timed by each whole-model timer a validation can
 * use on this computer, against one stored profile, to see which agrees with calibration.
 *   npx tsx scripts/experiments/validation-timers.ts RUN.json in-process|runner [ROUNDS]
 * RUN.json: one run written by the calibration bench (BENCH_CAL_OUT). EDGETREE_WASM_TIERS=v8
 * keeps V8's own WebAssembly tiering in this process and the runner's.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDeviceProfile } from '../../latency/profile-json.ts';
import { validationModels } from '../../profiler/validation/validation-set.ts';
import { compareModel, type ModelTimer } from '../../profiler/validation/validate.ts';
import { createLocalModelTimer } from '../../profiler/validation/local-model-timer.ts';
import { createRemoteModelTimer } from '../../services/remote-model-timer.ts';
import { buildNodeRunner } from '../../profiler/hosts/build-node-runner.ts';
import { LocalTransport } from '../../native-bridge/local-transport.ts';

const [file, mode, roundsArg] = process.argv.slice(2);
const run = JSON.parse(readFileSync(file, 'utf8')) as { profile: unknown };
const profile = parseDeviceProfile(run.profile, file);
const rounds = Number(roundsArg ?? 1);

async function timer(): Promise<ModelTimer & { close?: () => Promise<void> }> {
  if (mode === 'in-process') return createLocalModelTimer({});
  const bundle = await buildNodeRunner(await mkdtemp(join(tmpdir(), 'exp-runner-')));
  return createRemoteModelTimer({ transport: new LocalTransport(), deviceId: 'local', bundleDir: bundle.dir, repeats: 10 });
}

const t = await timer();
const errors: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const spec of validationModels()) {
    const row = compareModel(spec, await t.time(spec), profile);
    errors.push(row.errorPct);
    console.log(`${mode} ${process.env.EDGETREE_WASM_TIERS ?? 'up-front'} ${spec.name} measured ${row.measuredMs.toFixed(2)} ms error ${row.errorPct.toFixed(1)}%`);
  }
}
await t.close?.();
const mean = errors.reduce((a, e) => a + e, 0) / errors.length;
const within = errors.filter((e) => Math.abs(e) <= 10).length / errors.length;
console.log(`SUMMARY ${mode} tiers=${process.env.EDGETREE_WASM_TIERS ?? 'up-front'} backend=${t.backend}: mean signed ${mean.toFixed(1)}%, within ±10% ${(within * 100).toFixed(0)}%`);
