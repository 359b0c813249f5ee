/**
 * A field test on this machine (issue 6 item 5): each configuration's bundle (the tree, the
 * optimal branch, DNN surgery) in turn, over the same trace from its first step, on the same
 * link, quota and cloud server. The bundle's Node host runs in a network
 * namespace whose veth link to the cloud server (profiler/transfer/shaped-link.ts, addresses it
 * creates in 10.77.0.0/16) is shaped by tbf and re-rated every trace step by a loop bounded by the
 * run; the device process gets one WASM thread (the host's own setting) and, where the cgroup v1
 * CPU hierarchy allows, a CPU quota, so the device is slower than the cloud. Needs root.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundle } from '../bundle/open-bundle.ts';
import { startCloudServer } from '../cloud/cloud-server.ts';
import type { CloudModelEntry } from '../cloud/cloud-model.ts';
import { createShapedLink } from '../profiler/transfer/shaped-link.ts';
import { parseRuntimeLines } from '../runtime/core/runtime-line.ts';
import type { RuntimeLine } from '../runtime/core/runtime-line.ts';
import type { InferenceTimeline } from '../runtime/core/inference-timeline.ts';
import { createCpuLimit } from '../native-bridge/cpu-limit.ts';
import { DEVICE_BACKEND_ENV } from '../engine/device-backend-env.ts';
import { fieldReport } from './field-test-report.ts';
import type { FieldMethodName, FieldMethodReport } from '../api/field-test-api.ts';
import { FIELD_METHODS } from '../api/field-test-api.ts';

export class FieldTestError extends Error {
  constructor(what: string, problem: string) {
    super(`field test of ${what}: ${problem}`);
    this.name = 'FieldTestError';
  }
}

/** One configuration to run: its bundle and what it is. */
export interface FieldConfiguration {
  method: FieldMethodName;
  bundleDir: string;
  description: string;
}

export interface FieldTestOptions {
  configurations: readonly FieldConfiguration[];
  /** Raw float32 LE NHWC images and their labels. */
  images: Uint8Array;
  labels: ArrayLike<number>;
  inferences: number;
  /** The trace's rates, Mbit/s, one per step, and the step's length. */
  traceMbps: readonly number[];
  stepMs: number;
  /** The base model the cloud server finishes, under the bundle's cloud model key. */
  cloudModel: CloudModelEntry;
  /** Share of one CPU for the device process (default 0.5). */
  deviceCpus?: number | null;
  /** 'cpu': the device host runs TF.js's JavaScript backend (local:js, a phone stand-in); default its usual WASM. */
  deviceBackend?: 'cpu';
  onLine?: (method: FieldMethodName, line: RuntimeLine) => void;
  /** After each configuration, with its report. */
  onMethod?: (report: FieldMethodReport) => void;
  /** Per configuration. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface FieldTestResult {
  methods: FieldMethodReport[];
  /** How the device side was made slower, and the link. */
  limits: string[];
  notes: string[];
  /** Each rate set on the link: when (ms since 1970) and Mbit/s. */
  rates: { at: number; mbps: number }[];
  namespace: string;
}

export async function runFieldTest(o: FieldTestOptions): Promise<FieldTestResult> {
  if (o.configurations.length === 0) throw new FieldTestError('no bundle', 'no configuration to run');
  const opened = await Promise.all(o.configurations.map(async (c) => ({ c, m: (await openBundle(c.bundleDir)).manifest })));
  for (const { c, m } of opened) {
    if (m.runtime.nodeEntry === null) throw new FieldTestError(c.bundleDir, 'the bundle carries no Node host (runtime.nodeEntry is null)');
    if (m.cloud === null) throw new FieldTestError(c.bundleDir, 'the bundle names no cloud model key (packaged without a cloud)');
    if (m.cloud.modelKey !== opened[0].m.cloud?.modelKey) throw new FieldTestError(c.bundleDir, `its model key ${m.cloud.modelKey} differs from ${opened[0].m.cloud?.modelKey ?? ''}: one field test runs one model`);
  }
  if (o.traceMbps.length === 0 || o.traceMbps.some((x) => !(x > 0))) throw new FieldTestError(o.configurations[0].bundleDir, 'the trace needs at least one rate > 0 Mbit/s');
  const modelKey = opened[0].m.cloud?.modelKey as string;
  const token = randomBytes(12).toString('hex');
  const work = await mkdtemp(join(tmpdir(), 'edgetree-field-'));
  const link = await createShapedLink();
  const cpus = o.deviceCpus === undefined ? 0.5 : o.deviceCpus;
  const cpu = cpus === null ? null : createCpuLimit(`edgetree-field-${process.pid}-${randomBytes(3).toString('hex')}`, cpus);
  const env = o.deviceBackend === 'cpu' ? { ...process.env, [DEVICE_BACKEND_ENV]: 'cpu' } : process.env;
  const rates: { at: number; mbps: number }[] = [];
  const methods: FieldMethodReport[] = [];
  try {
    const cloud = await startCloudServer({ models: new Map([[modelKey, o.cloudModel]]), token, host: link.hostAddress });
    try {
      await writeFile(join(work, 'images.f32'), o.images);
      for (const { c, m } of opened) {
        if (o.signal?.aborted) throw new FieldTestError(c.bundleDir, 'cancelled');
        // Every configuration meets the trace from its first step.
        const first = rates.length;
        await link.setRate(o.traceMbps[0]);
        rates.push({ at: Date.now(), mbps: o.traceMbps[0] });
        let step = 0;
        let rating: Promise<void> = Promise.resolve();
        // The trace's clock starts when the host says it has loaded (its start line), and the host
        // starts inference i at i steps after inference 0: inference i meets step i of the trace in
        // every configuration, however fast each runs. One rate change at a time; the loop ends
        // with the configuration's run.
        let timer: ReturnType<typeof setInterval> | undefined;
        const startTrace = (): void => {
          timer ??= setInterval(() => {
            step = (step + 1) % o.traceMbps.length;
            const mbps = o.traceMbps[step];
            rating = rating.then(() => link.setRate(mbps)).then(() => { rates.push({ at: Date.now(), mbps }); }, () => undefined);
          }, o.stepMs);
        };
        let lines: RuntimeLine[];
        try {
          const host = [process.execPath, join(c.bundleDir, m.runtime.nodeEntry as string), '--bundle', c.bundleDir, '--images', join(work, 'images.f32'),
            // One more than asked: the first warms the backend up (kernels, buffers) and is not counted.
            '--count', String(o.inferences + 1), '--cloud', cloud.url, '--token', token,
            // An estimate older than a trace step is stale: the runtime probes again (an all-device branch sends nothing to learn from).
            '--stale-ms', String(o.stepMs), '--interval-ms', String(o.stepMs)];
          lines = await runInNamespace(link.namespace, host, cpu?.procsFile ?? null, env, (l) => {
            if (l.type === 'start') startTrace();
            if (l.type !== 'inference' || l.index > 0) o.onLine?.(c.method, l);
          }, o.timeoutMs ?? 300_000, o.signal);
        } finally {
          clearInterval(timer);
          await rating;
        }
        const ts = lines.filter((l): l is InferenceTimeline => l.type === 'inference' && l.index > 0);
        const mine = rates.slice(first);
        const rateAt = (at: number): number => [...mine].reverse().find((r) => r.at <= at)?.mbps ?? mine[0].mbps;
        const report = fieldReport(c.method, c.description, ts, ts.map((t) => rateAt(t.startedAt)), o.labels, m.branches, m.nodes);
        methods.push(report);
        o.onMethod?.(report);
      }
      const missing = FIELD_METHODS.filter((x) => !o.configurations.some((c) => c.method === x));
      return {
        methods,
        limits: [
          o.deviceBackend === 'cpu' ? 'device: the Node host on TF.js\'s JavaScript backend (local:js, about 30x slower than WASM here: a phone stand-in)' : 'device: the Node host\'s WASM backend with 1 thread',
          cpus === null ? 'no CPU quota (none asked)' : cpu === null ? 'no CPU quota: the cgroup v1 cpu hierarchy is missing or not writable here' : cpu.describe(),
          `link: veth ${link.hostAddress} <-> ${link.deviceAddress} (namespace ${link.namespace}), device->cloud shaped by tc tbf, re-rated every ${o.stepMs} ms along the trace from its first step for each configuration; inference i starts i steps after the first, so it meets the same step in every configuration (later only where the one before ran over its step)`,
          'cloud: the base model in the studio process, unthrottled, on this computer',
          'each configuration\'s first inference warms its backend up and is not counted',
        ],
        notes: missing.length === 0 ? [] : [`not run: ${missing.join(', ')}`],
        rates,
        namespace: link.namespace,
      };
    } finally {
      await cloud.close();
    }
  } finally {
    await link.close();
    cpu?.remove();
    await rm(work, { recursive: true, force: true });
  }
}

function runInNamespace(namespace: string, argv: string[], procsFile: string | null, env: NodeJS.ProcessEnv, onLine: ((l: RuntimeLine) => void) | undefined, timeoutMs: number, signal?: AbortSignal): Promise<RuntimeLine[]> {
  // The shell joins the cgroup first, then becomes `ip netns exec` and the host (same pid).
  const joinCgroup = procsFile === null ? '' : `echo $$ > "$1" && `;
  const args = ['-c', `${joinCgroup}shift; exec ip netns exec "$@"`, 'sh', procsFile ?? '-', namespace, ...argv];
  return new Promise((resolve, reject) => {
    const p = spawn('sh', args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const lines: RuntimeLine[] = [];
    let partial = '';
    let stderr = '';
    const killer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    const abort = (): void => { p.kill('SIGKILL'); };
    signal?.addEventListener('abort', abort, { once: true });
    p.stdout.on('data', (b: Buffer) => {
      const text = partial + b.toString('utf8');
      const end = text.lastIndexOf('\n');
      partial = text.slice(end + 1);
      try {
        for (const l of parseRuntimeLines(text.slice(0, end + 1))) {
          lines.push(l);
          onLine?.(l);
        }
      } catch (e) {
        stderr += `${(e as Error).message}\n`;
        p.kill('SIGKILL');
      }
    });
    p.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
    p.on('error', (e) => { clearTimeout(killer); reject(e); });
    p.on('close', (code) => {
      clearTimeout(killer);
      signal?.removeEventListener('abort', abort);
      if (code === 0) resolve(lines);
      else reject(new FieldTestError(`namespace ${namespace}`, `the device process exited ${code ?? 'by a signal'} after ${lines.length} line(s): ${stderr.trim().slice(-600)}`));
    });
  });
}
