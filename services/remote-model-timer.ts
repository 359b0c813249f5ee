/**
 * Whole-model timing on a device over its transport (validation on SSH boards): the Node
 * runner bundle is pushed once to a work dir, then each model is written to a models file,
 * pushed and timed by `node edgetree-runner.cjs --models` there, one exec per model, so
 * progress shows per model and a cancel stops between models. close() removes the dir.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import { shellQuote } from '../native-bridge/shell-quote.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { serializeModelSpec } from '../dnn/formats/spec-json.ts';
import { NODE_RUNNER_FILE } from '../profiler/hosts/node-runner-file.ts';
import { parseModelRunnerOutput } from '../profiler/hosts/model-runner-line.ts';
import type { ModelTimer } from '../profiler/validation/validate.ts';
import type { RunnerLaunch } from './runner-launch.ts';

/** The device's runner could not time a model (exit status, no output, missing node). */
export class RemoteTimingError extends Error {
  constructor(deviceId: string, what: string) {
    super(`device ${deviceId}: ${what}`);
    this.name = 'RemoteTimingError';
  }
}

export interface RemoteTimerOptions {
  transport: DeviceTransport;
  deviceId: string;
  bundleDir: string;
  repeats: number;
  warmup?: number;
  nodeCommand?: string;
  /** How the runner starts for the runtime timed (services/runner-launch.ts); default TF.js as the device has it. */
  launch?: RunnerLaunch;
  /** Seconds allowed per model on top of the runner's start (default 300). */
  modelTimeoutS?: number;
}

export type ClosableModelTimer = ModelTimer & { close(): Promise<void> };

async function execRunner(opts: RemoteTimerOptions, workDir: string, localModels: string, signal?: AbortSignal): Promise<ReturnType<typeof parseModelRunnerOutput>> {
  const { transport, deviceId } = opts;
  await transport.push(localModels, `${workDir}/models.json`);
  const env = Object.entries(opts.launch?.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)} `).join('');
  const extra = (opts.launch?.args ?? []).map((a) => ` ${shellQuote(a)}`).join('');
  const command = `cd ${shellQuote(workDir)} && ${env}${shellQuote(opts.nodeCommand ?? 'node')} ${NODE_RUNNER_FILE} --models models.json --repeats ${opts.repeats} --warmup ${opts.warmup ?? 3}${extra}`;
  const r = await transport.exec(command, { timeoutMs: (60 + (opts.modelTimeoutS ?? 300)) * 1000, signal });
  const parsed = parseModelRunnerOutput(r.stdout);
  if (r.exitCode !== 0) {
    const why = (r.stderr.trim() || parsed.other.join('\n')).split('\n').slice(-5).join('\n');
    throw new RemoteTimingError(deviceId, `the runner exited with code ${r.exitCode} timing models: ${why || 'no message'}`);
  }
  return parsed;
}

export async function createRemoteModelTimer(opts: RemoteTimerOptions): Promise<ClosableModelTimer> {
  const { transport, deviceId } = opts;
  const workDir = `/tmp/edgetree-validate-${Math.random().toString(16).slice(2, 10)}`;
  const local = await mkdtemp(join(tmpdir(), 'edgetree-models-'));
  const modelsFile = join(local, 'models.json');
  const cleanup = async (): Promise<void> => {
    await transport.exec(`rm -rf ${shellQuote(workDir)}`, { timeoutMs: 30_000 }).catch(() => undefined);
    await rm(local, { recursive: true, force: true });
  };
  try {
    const mk = await transport.exec(`mkdir -p ${shellQuote(workDir)}`, { timeoutMs: 30_000 });
    if (mk.exitCode !== 0) throw new RemoteTimingError(deviceId, `cannot create ${workDir}: ${mk.stderr.trim()}`);
    const files = (await readdir(opts.bundleDir)).sort();
    if (!files.includes(NODE_RUNNER_FILE)) throw new RemoteTimingError(deviceId, `${opts.bundleDir} has no ${NODE_RUNNER_FILE}; build the runner bundle first`);
    for (const f of files) await transport.push(join(opts.bundleDir, f), `${workDir}/${f}`);
    // An empty models file starts the backend only: the timer says which one runs before the first model.
    await writeFile(modelsFile, '[]');
    const probe = await execRunner(opts, workDir, modelsFile);
    if (probe.backend === null) throw new RemoteTimingError(deviceId, 'the runner did not say which backend it started');
    const backend = probe.backend;
    return {
      backend,
      async time(spec: ModelSpec, signal?: AbortSignal) {
        await writeFile(modelsFile, `[${serializeModelSpec(spec)}]`);
        const out = await execRunner(opts, workDir, modelsFile, signal);
        const timing = out.timings[0];
        if (timing === undefined) throw new RemoteTimingError(deviceId, `the runner printed no timing for model "${spec.name}"`);
        return timing;
      },
      close: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
