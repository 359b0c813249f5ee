/**
 * Quick-suite calibrations, each followed by the full validation set measured against the
 * profile it made, per device configuration. Prints a row per calibration and, per
 * configuration, the figures beside their goals: at least 95% of the 21 models within
 * ±10% and a mean signed error within ±3%, after a quick suite of at most 5 minutes, with
 * the worst of the repeats still at least 90% within ±10%. Asserts nothing.
 *
 *   BENCH_CAL_DEVICES  configurations, comma-separated (default "local"): local, local:js,
 *                      local:CPUS (a CPU quota), ssh (Debian's OpenSSH on loopback, its
 *                      commands under a CPU quota of BENCH_CAL_SSH_CPUS, default 1); each may
 *                      end in @RUNTIME (tfjs-wasm, the default, or onnxruntime), e.g. local@onnxruntime
 *   BENCH_CAL_RUNS     calibrations per configuration (default 5 on local, else 1)
 *   BENCH_CAL_OUT      a folder: each run's profile and validation report as JSON there
 *   BENCH_CAL_OUTSIDE  0 to skip the models outside the validation set: ONNX models made in
 *                      PyTorch by scripts/models/make-outside-models.py (MobileNet-, SqueezeNet-,
 *                      ResNet-, ZFNet-like, 5x5 / 7x7 kernels, depthwise), validated after the 21
 *                      with the same profile; skipped, saying why, without a python3 that has torch
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { importModelFile } from '../dnn/formats/registry.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { projectFile } from '../profiler/project-files.ts';
import { createStudioServices } from '../services/studio-services.ts';
import type { StudioServices } from '../services/studio-services.ts';
import type { HostKeyConfirmation, ValidationReport } from '../api/calibration-api.ts';
import { startSshServer } from '../test/fixtures/ssh-server.ts';
import type { SshServerFixture } from '../test/fixtures/ssh-server.ts';
import { createCpuLimit } from '../native-bridge/cpu-limit.ts';
import { cacheLine } from '../latency/describe-cache.ts';
import { speedWords } from '../latency/speed-reference.ts';
import { DEFAULT_RUNTIME, isRuntime, RUNTIMES } from '../latency/runtime.ts';

interface Figures {
  within10: number;
  within5: number;
  meanSignedPct: number;
  mapePct: number;
  worst: string;
}

interface RunFigures {
  calS: number;
  valS: number;
  /** Against the profile's estimates as stored. */
  raw: Figures;
  /** The models outside the validation set, when made. */
  outside: Figures | null;
  /** How much slower the device ran during the validation than during calibration (speed reference), when both sides timed it. */
  speedFactor: number | null;
}

const configs = (process.env.BENCH_CAL_DEVICES ?? 'local').split(',').map((s) => s.trim()).filter((s) => s !== '');
const outDir = process.env.BENCH_CAL_OUT;
if (outDir !== undefined) mkdirSync(outDir, { recursive: true });

function worstOf(rows: readonly { name: string; errorPct: number }[]): string {
  const worst = [...rows].sort((a, b) => Math.abs(b.errorPct) - Math.abs(a.errorPct))[0];
  return `${worst.name} ${signed(worst.errorPct)}`;
}

function figures(r: ValidationReport, calS: number, valS: number): RunFigures {
  return {
    calS, valS,
    raw: { within10: r.within10Pct, within5: r.within5Pct, mapePct: r.mapePct, meanSignedPct: r.meanErrorPct, worst: worstOf(r.models) },
    outside: null,
    speedFactor: r.medianSpeedFactor ?? null,
  };
}

const line = (f: Figures): string => `${pct(f.within10)} within ±10%, ${pct(f.within5)} within ±5%, mean signed ${signed(f.meanSignedPct)}, MAPE ${f.mapePct.toFixed(1)}%, worst ${f.worst}`;

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;

/** An SSH board on loopback whose sshd (and so every command it runs) is held to a CPU quota. */
async function sshBoard(s: StudioServices, server: SshServerFixture): Promise<string> {
  const req = { host: '127.0.0.1', port: server.port, user: server.username, keyPath: server.userKeyPath };
  const first = await s.addSshDevice(req) as HostKeyConfirmation;
  const added = await s.trustHostKey({ host: first.host, port: first.port, fingerprint: first.fingerprint, keyType: first.keyType });
  return added.id;
}

async function runConfig(configAndRuntime: string): Promise<void> {
  const [config, runtimeName = DEFAULT_RUNTIME] = configAndRuntime.split('@');
  if (!isRuntime(runtimeName)) throw new Error(`${configAndRuntime}: the runtime must be one of ${RUNTIMES.join(', ')}`);
  const runtime = runtimeName;
  const runs = Number(process.env.BENCH_CAL_RUNS ?? (configAndRuntime === 'local' ? 5 : 1));
  const rows: RunFigures[] = [];
  let server: SshServerFixture | undefined;
  let limit: ReturnType<typeof createCpuLimit> = null;
  try {
    if (config === 'ssh') {
      server = await startSshServer();
      const cpus = Number(process.env.BENCH_CAL_SSH_CPUS ?? 1);
      limit = createCpuLimit(`edgetree-bench-ssh-${process.pid}`, cpus);
      if (limit === null) throw new Error('ssh: no cgroup v1 cpu hierarchy to hold the board to a quota');
      // Sessions that sshd forks stay in its cgroup: every command of the board runs under the quota.
      writeFileSync(limit.procsFile, readFileSync(join(server.dir, 'sshd.pid'), 'utf8').trim());
      console.log(`ssh board: OpenSSH on 127.0.0.1:${server.port}, its commands held to ${cpus} CPU`);
    }
    for (let i = 0; i < runs; i++) {
      const home = mkdtempSync(join(tmpdir(), 'edgetree-bench-'));
      const s = createStudioServices({ home, mode: 'cli', adbPort: false });
      try {
        const deviceId = server !== undefined ? await sshBoard(s, server) : config;
        const t0 = performance.now();
        const started = await s.startCalibration({ deviceId, suite: 'quick', transfer: false, runtime });
        await s.idle();
        const cal = await s.calibrationStatus({ runId: started.runId });
        const calS = (performance.now() - t0) / 1000;
        if (cal.profileId === null) throw new Error(`${configAndRuntime}: calibration ${cal.status}: ${cal.message}`);
        const profile = await s.showProfile({ id: cal.profileId });
        if (i === 0) console.log(`${configAndRuntime}: ${profile.profile.backend}; ${cacheLine(profile.profile)}`);
        const t1 = performance.now();
        const v = await s.startValidation({ deviceId, profileId: cal.profileId });
        await s.idle();
        const vs = await s.validationStatus({ runId: v.runId });
        if (vs.report === null) throw new Error(`${configAndRuntime}: validation ${vs.status}: ${vs.message}`);
        const f = figures(vs.report, calS, (performance.now() - t1) / 1000);
        let outsideReport: ValidationReport | null = null;
        if (outside.length > 0) {
          const o = await s.startValidation({ deviceId, profileId: cal.profileId, specs: outside });
          await s.idle();
          outsideReport = (await s.validationStatus({ runId: o.runId })).report;
          if (outsideReport === null) throw new Error(`${configAndRuntime}: validation of the outside models failed`);
          f.outside = figures(outsideReport, 0, 0).raw;
        }
        rows.push(f);
        console.log(`  run ${i + 1}: quick suite ${cal.done} timings in ${f.calS.toFixed(0)} s, validation ${f.valS.toFixed(0)} s`);
        console.log(`    as stored:     ${line(f.raw)}`);
        if (f.outside !== null) console.log(`    outside set (${outside.length} PyTorch ONNX models): ${line(f.outside)}`);
        if (f.speedFactor !== null) console.log(`    device speed: ${speedWords(f.speedFactor)} (median speed reference)`);
        const unsteady = vs.report.unsteady ?? [];
        console.log(`    slow stretches: ${vs.report.retimed ?? 0} extra timings; ${unsteady.length} models still slow${unsteady.length > 0 ? ` (${unsteady.join(', ')})` : ''}`);
        if (profile.inModel) console.log(`    in-model factors: ${profile.inModel.factors.map((x) => `${x.kernel === null ? x.layerType : `${x.layerType}/${x.kernel}`} ${x.factor.toFixed(2)}${x.from === 'refit' ? ' refit' : ''}`).join(', ')}`);
        if (outDir !== undefined) {
          writeFileSync(join(outDir, `${configAndRuntime.replace(/[^\w.]+/g, '_')}-${i + 1}.json`), JSON.stringify({ config: configAndRuntime, profile: profile.profile, fit: profile.fit, coldFit: profile.coldFit, report: vs.report, outsideReport }, null, 1));
        }
      } finally {
        s.close();
        rmSync(home, { recursive: true, force: true });
      }
    }
  } finally {
    limit?.remove();
    await server?.stop();
  }
  if (rows.length === 0) return;
  const slowest = Math.max(...rows.map((r) => r.calS));
  const summary = (label: string, fs: readonly Figures[]): void => {
    const worst10 = Math.min(...fs.map((f) => f.within10));
    const worstBias = Math.max(...fs.map((f) => Math.abs(f.meanSignedPct)));
    console.log(`${configAndRuntime}, ${fs.length} calibrations, ${label}: within ±10% ${fs.map((f) => pct(f.within10)).join(' ')} (worst ${pct(worst10)}; goal ≥ 95%, worst of five ≥ 90%); `
      + `mean signed ${fs.map((f) => signed(f.meanSignedPct)).join(' ')} (goal |·| ≤ 3%, worst ${worstBias.toFixed(1)}%)`);
  };
  summary('as stored', rows.map((r) => r.raw));
  const outsideRows = rows.map((r) => r.outside).filter((o) => o !== null);
  if (outsideRows.length === rows.length) summary(`outside set (${outside.length} models)`, outsideRows);
  console.log(`${configAndRuntime}: quick suite ≤ ${slowest.toFixed(0)} s (goal ≤ 300 s)`);
}

/** The outside models as specs named by their files, made now into a temporary folder; none (saying why) without torch. */
function makeOutsideModels(): ModelSpec[] {
  if (process.env.BENCH_CAL_OUTSIDE === '0') return [];
  const dir = mkdtempSync(join(tmpdir(), 'edgetree-outside-'));
  try {
    // Debian's python3-torch lives in /usr/bin/python3; the PATH's python3 may have no torch.
    const tried: string[] = [];
    for (const python of ['/usr/bin/python3', 'python3']) {
      const r = spawnSync(python, [projectFile('scripts', 'models', 'make-outside-models.py'), dir], { encoding: 'utf8' });
      if (r.status === 0) {
        return readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort().map((f) => ({ ...importModelFile(f, new Uint8Array(readFileSync(join(dir, f)))).spec, name: basename(f, '.onnx') }));
      }
      tried.push(`${python}: ${(r.error?.message ?? r.stderr ?? '').trim().split('\n').at(-1)}`);
    }
    console.log(`outside set: skipped (no python3 with torch: ${tried.join('; ')})`);
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const outside = makeOutsideModels();
for (const config of configs) await runConfig(config);
