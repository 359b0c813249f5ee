/**
 * How a CPU quota (the `local:CPUS` device and the bench's SSH board) slows work of a given
 * length. A child process joins a cgroup v1 quota and runs busy work for a fixed CPU time
 * (0.3 to 30 ms, read from process.cpuUsage), again and again for about a second per length;
 * each run's wall time over its CPU time is its slowdown. A quota of CPUS should slow every
 * length by 1/CPUS; the median and mean show how far the kernel's enforcement is from that.
 *
 * Then the same for whole models on TF.js WASM (bench/quota-models-child.ts): each model's
 * median and mean run under the quota over its median without one. A statistic that holds
 * under a quota slows every model alike.
 *
 * Last, under the studio's own quota for 0.5 CPU (bench/quota-warmup-child.ts), a model timed
 * the runner's way in fresh processes: its first timing over its second after 300 ms and
 * 900 ms of warm-up (V8 compiles on helper threads that share the quota), and each conv
 * layer's slowdown over its free time (each layer should slow as the model does).
 *
 * BENCH_QUOTA_CPUS (default 0.5,1) and BENCH_QUOTA_PERIODS_US (default: the studio's own
 * choice, then 10000 and 100000) pick the quotas; BENCH_QUOTA_MODELS the models. Needs the
 * cgroup v1 cpu hierarchy; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCpuLimit } from '../native-bridge/cpu-limit.ts';
import { median } from '../latency/fit/least-squares.ts';

const LENGTHS_MS = [0.3, 1, 3, 10, 30];
const SECONDS_PER_LENGTH = 1;

// Runs in the child: waits for "go" (it has joined the cgroup), then prints one JSON line of wall/CPU ratios per length.
const child = `
const lengths = ${JSON.stringify(LENGTHS_MS)};
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
process.stdin.once('data', () => {
  const out = {};
  let sink = 1;
  for (const len of lengths) {
    const ratios = [];
    const until = performance.now() + ${SECONDS_PER_LENGTH * 1000};
    while (performance.now() < until || ratios.length < 5) {
      const c0 = cpuMs();
      const w0 = performance.now();
      let c = c0;
      while (c - c0 < len) {
        for (let i = 0; i < 2000; i++) sink = (sink * 1103515245 + 12345) % 2147483648;
        c = cpuMs();
      }
      ratios.push((performance.now() - w0) / (c - c0));
    }
    out[len] = ratios;
  }
  process.stdout.write(JSON.stringify({ out, sink }) + '\\n');
  process.exit(0);
});
`;

/** Starts `args` in Node, puts it in the quota's cgroup (if any), says "go", and returns its stdout. */
async function runJoined(args: string[], procsFile: string | null): Promise<string> {
  const proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let text = '';
  proc.stdout.on('data', (d: Buffer) => { text += d.toString(); });
  const done = new Promise<void>((resolve, reject) => proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`quota child exited with ${code}`)))));
  if (procsFile !== null && proc.pid !== undefined) writeFileSync(procsFile, String(proc.pid));
  proc.stdin.write('go\n');
  await done;
  return text;
}

async function slowdowns(procsFile: string | null): Promise<Record<string, number[]>> {
  return (JSON.parse(await runJoined(['-e', child], procsFile)) as { out: Record<string, number[]> }).out;
}

interface ModelRun { name: string; medianMs: number; meanMs: number; runs: number; cpuPerWall: number }
const MODELS = (process.env.BENCH_QUOTA_MODELS ?? 'vgg11,alexnet,resnet18-w0.25,vgg8-w0.5,vgg11-w0.25,alexnet-w0.5').split(',');
const modelChild = join(dirname(fileURLToPath(import.meta.url)), 'quota-models-child.ts');

async function modelRuns(procsFile: string | null): Promise<ModelRun[]> {
  const text = await runJoined(['--import', 'tsx', modelChild, ...MODELS], procsFile);
  return text.trim().split('\n').map((l) => JSON.parse(l) as ModelRun);
}

const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

function report(label: string, expected: number, out: Record<string, number[]>): void {
  const cells = LENGTHS_MS.map((len) => {
    const r = out[String(len)];
    return `${len} ms: median ${median(r).toFixed(2)}x, mean ${mean(r).toFixed(2)}x (${r.length} runs)`;
  });
  console.log(`${label} (1/CPUS = ${expected.toFixed(2)}x)\n    ${cells.join('\n    ')}`);
}

function reportModels(label: string, free: readonly ModelRun[], quota: readonly ModelRun[]): void {
  const rows = quota.map((q) => {
    const f = free.find((m) => m.name === q.name);
    const base = f?.medianMs ?? Number.NaN;
    const baseMean = f?.meanMs ?? Number.NaN;
    return `${q.name}: ${base.toFixed(2)} ms free (mean ${baseMean.toFixed(2)}); median ${(q.medianMs / base).toFixed(2)}x, mean ${(q.meanMs / baseMean).toFixed(2)}x of the free mean (${q.runs} runs); CPU/wall ${f?.cpuPerWall.toFixed(2) ?? '?'} free, ${q.cpuPerWall.toFixed(2)} here`;
  });
  const spread = (pick: (m: ModelRun) => number): string => {
    const r = quota.map((q) => {
      const f = free.find((m) => m.name === q.name);
      return pick(q) / (f === undefined ? Number.NaN : pick(f));
    });
    return `${Math.min(...r).toFixed(2)}x to ${Math.max(...r).toFixed(2)}x`;
  };
  console.log(`  models, ${label}: medians ${spread((m) => m.medianMs)} of the free medians, means ${spread((m) => m.meanMs)} of the free means\n    ${rows.join('\n    ')}`);
}

const cpusList = (process.env.BENCH_QUOTA_CPUS ?? '0.5,1').split(',').map(Number);
const periods = (process.env.BENCH_QUOTA_PERIODS_US ?? 'studio,10000,100000').split(',');
report('no quota', 1, await slowdowns(null));
const free = await modelRuns(null);
for (const cpus of cpusList) {
  for (const period of periods) {
    const periodUs = period === 'studio' ? undefined : Number(period);
    const limit = createCpuLimit(`edgetree-bench-quota-${process.pid}`, cpus, undefined, periodUs);
    if (limit === null) {
      console.log('no cgroup v1 cpu hierarchy here: nothing to measure');
      process.exit(0);
    }
    try {
      report(limit.describe(), 1 / cpus, await slowdowns(limit.procsFile));
      reportModels(limit.describe(), free, await modelRuns(limit.procsFile));
    } finally {
      limit.remove();
    }
  }
}

interface WarmupRun { first: number; second: number; convs: { id: string; ms: number }[] }
const WARMUP_MODEL = process.env.BENCH_QUOTA_WARMUP_MODEL ?? 'vgg11-w0.25';
const warmupChild = join(dirname(fileURLToPath(import.meta.url)), 'quota-warmup-child.ts');
const warmupRun = async (warmMs: number, procsFile: string | null): Promise<WarmupRun> =>
  JSON.parse((await runJoined(['--import', 'tsx', warmupChild, WARMUP_MODEL, String(warmMs)], procsFile)).trim().split('\n').at(-1) ?? '') as WarmupRun;

const studio = createCpuLimit(`edgetree-bench-warmup-${process.pid}`, 0.5);
if (studio !== null) {
  try {
    const free = await warmupRun(300, null);
    console.log(`${WARMUP_MODEL} timed the runner's way in fresh processes, ${studio.describe()}:`);
    for (const warmMs of [300, 900]) {
      for (let k = 0; k < 2; k++) {
        const q = await warmupRun(warmMs, studio.procsFile);
        const convs = q.convs.map((c) => (c.ms / (free.convs.find((f) => f.id === c.id)?.ms ?? Number.NaN)).toFixed(2));
        console.log(`    warm-up ${warmMs} ms: first ${q.first.toFixed(2)} ms over second ${q.second.toFixed(2)} = ${(q.first / q.second).toFixed(2)}x; second over free ${(q.second / free.second).toFixed(2)}x, its convs ${convs.join(' ')}x`);
      }
    }
  } finally {
    studio.remove();
  }
}
