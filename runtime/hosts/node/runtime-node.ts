/**
 * The runtime's Node host, run on a board (or this computer) as
 * `node runtime-node.mjs --bundle DIR --images FILE --count N [--cloud URL] [--token T]
 * [--probe-bytes B] [--stale-ms MS] [--interval-ms MS] [--wasm-dir DIR]`. Loads and checks the bundle, starts
 * TF.js on a fast backend (never silently cpu), runs N inferences over the images in turn
 * and prints one JSON line each (runtime/core/runtime-line.ts): start, timelines, summary.
 * Exit 2: bad arguments, bundle or images; 3: no fast backend; 1: an inference failed.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deviceBackendFromEnv } from '../../../engine/device-backend-env.ts';
import { initTfjsBackend } from '../../../engine/tfjs-backend.ts';
import { TFJS_WASM_FILES } from '../../../engine/wasm-files.ts';
import { BandwidthEstimator } from '../../core/bandwidth-estimator.ts';
import { httpProbe } from '../../core/bandwidth-probe.ts';
import { decodeImages } from '../../core/image-batch.ts';
import type { InferenceTimeline } from '../../core/inference-timeline.ts';
import { summariseTimelines } from '../../core/runtime-line.ts';
import type { RuntimeLine } from '../../core/runtime-line.ts';
import type { RuntimeModel } from '../../core/runtime-model.ts';
import { TreeRuntime } from '../../core/tree-runtime.ts';
import { loadBundleModel } from './load-bundle.ts';

export class RuntimeArgsError extends Error {
  constructor(problem: string) {
    super(`runtime-node: ${problem}`);
    this.name = 'RuntimeArgsError';
  }
}

export interface RuntimeNodeArgs {
  bundle: string;
  images: string;
  count: number;
  cloud?: string;
  token?: string;
  probeBytes?: number;
  staleMs?: number;
  /** Start inference i no earlier than i x this after inference 0 (a paced run: the field test's one per trace step). */
  intervalMs?: number;
  wasmDir?: string;
}

const USAGE = 'use --bundle DIR --images FILE --count N [--cloud URL] [--token T] [--probe-bytes B] [--stale-ms MS] [--interval-ms MS] [--wasm-dir DIR]';

export function parseRuntimeNodeArgs(argv: readonly string[]): RuntimeNodeArgs {
  const a: Partial<RuntimeNodeArgs> = {};
  const whole = (flag: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new RuntimeArgsError(`${flag} must be a whole number >= ${min}, got "${v}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const v = argv[i + 1];
    if (v === undefined) throw new RuntimeArgsError(`${flag} needs a value (${USAGE})`);
    if (flag === '--bundle') a.bundle = v;
    else if (flag === '--images') a.images = v;
    else if (flag === '--count') a.count = whole(flag, v, 1);
    else if (flag === '--cloud') a.cloud = v;
    else if (flag === '--token') a.token = v;
    else if (flag === '--probe-bytes') a.probeBytes = whole(flag, v, 1);
    else if (flag === '--stale-ms') a.staleMs = whole(flag, v, 0);
    else if (flag === '--interval-ms') a.intervalMs = whole(flag, v, 0);
    else if (flag === '--wasm-dir') a.wasmDir = v;
    else throw new RuntimeArgsError(`unknown argument ${flag} (${USAGE})`);
  }
  for (const k of ['bundle', 'images', 'count'] as const) if (a[k] === undefined) throw new RuntimeArgsError(`--${k} is required (${USAGE})`);
  return a as RuntimeNodeArgs;
}

/** The .wasm files beside the running script (the bundled host), else the installed package's. */
function bundledWasmDir(): string | undefined {
  const here = process.argv[1] ? dirname(process.argv[1]) : '';
  return here && TFJS_WASM_FILES.every((f) => existsSync(join(here, f))) ? here : undefined;
}

/** Runs the host; returns the exit code. Lines go to `write`, messages to `fail`. */
export async function runRuntimeNode(argv: readonly string[], write: (line: string) => void, fail: (message: string) => void): Promise<number> {
  let args: RuntimeNodeArgs;
  let model: RuntimeModel;
  let images: { count: number; values: Float32Array };
  try {
    args = parseRuntimeNodeArgs(argv);
    const cloud = { ...(args.cloud === undefined ? {} : { url: args.cloud }), ...(args.token === undefined ? {} : { token: args.token }) };
    model = (await loadBundleModel(args.bundle, cloud)).model;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(args.images);
    } catch (e) {
      throw new RuntimeArgsError(`cannot read --images ${args.images} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    images = decodeImages(bytes, model.inputShape, args.images);
  } catch (e) {
    fail((e as Error).message);
    return 2;
  }
  let backend: string;
  try {
    backend = (await initTfjsBackend({ prefer: 'wasm', wasmDir: args.wasmDir ?? bundledWasmDir() , only: deviceBackendFromEnv(process.env) })).description;
  } catch (e) {
    fail(`runtime-node: no fast compute backend: ${(e as Error).message}`);
    return 3;
  }
  const emit = (line: RuntimeLine): void => write(JSON.stringify(line));
  const probe = model.cloud === null ? null : httpProbe(model.cloud.url, model.cloud.token, { bytes: args.probeBytes });
  let runtime: TreeRuntime;
  try {
    runtime = new TreeRuntime(model, { bandwidth: new BandwidthEstimator({ probe, staleMs: args.staleMs, refresh: 'background' }), backend });
  } catch (e) {
    fail((e as Error).message);
    return 2;
  }
  emit({ type: 'start', model: model.name, backend, cloud: model.cloud?.url ?? '', levelsMbps: model.levelsMbps, nodes: model.nodes.length, images: images.count, count: args.count });
  const per = images.values.length / images.count;
  const timelines: InferenceTimeline[] = [];
  try {
    const t0 = performance.now();
    for (let i = 0; i < args.count; i++) {
      // A macrotask turn between inferences (a background bandwidth probe's I/O lands here: the
      // inference itself awaits only microtasks on a synchronous backend), and the pace if asked.
      const wait = args.intervalMs === undefined ? 0 : t0 + i * args.intervalMs - performance.now();
      await new Promise<void>((resolve) => (wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)));
      const k = i % images.count;
      const x = tf.tensor4d(images.values.subarray(k * per, (k + 1) * per), [1, ...model.inputShape] as [number, number, number, number]);
      try {
        const { timeline } = await runtime.infer(x);
        timelines.push(timeline);
        emit(timeline);
      } finally {
        x.dispose();
      }
    }
  } catch (e) {
    fail(`runtime-node: inference ${timelines.length} failed: ${(e as Error).message}`);
    return 1;
  } finally {
    runtime.dispose();
  }
  emit(summariseTimelines(timelines));
  return 0;
}
