/**
 * Times whole models on this computer in the studio's own process, with the same runner
 * core and backend choice as the Node runner on a device (WASM SIMD here; never the
 * plain cpu backend).
 */
import * as tf from '@tensorflow/tfjs';
import { performance } from 'node:perf_hooks';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { runModelTiming } from '../runner/run-bench-cases.ts';
import { createSpeedReference, type SpeedReference } from '../runner/speed-reference.ts';
import type { ModelTimer } from './validate.ts';
import { ownTiming } from '../hosts/own-cpu-quota.ts';

export interface LocalTimerOptions {
  /** Untimed runs, at least (default 5). */
  warmup?: number;
  /** Untimed ms, at least (default 300): a model's first runs in a process are slow while code tiers up. */
  warmupMs?: number;
  /** Timed runs, at least (default 10). */
  repeats?: number;
  /** Timed ms, at least (default 500): a fast model gets more repeats, so its median is steadier. */
  timedMs?: number;
  /** Runs summarised in batches of this many ms (default: ownTiming's, batches only under a CPU quota). */
  batchMs?: number;
}

export async function createLocalModelTimer(opts: LocalTimerOptions = {}): Promise<ModelTimer> {
  const info = await initTfjsBackend();
  const backend = info.description;
  const quotaBatchMs = ownTiming().batchMs;
  // The speed reference beside each model, as the Node runner times it (built on first use, kept for the process).
  let reference: SpeedReference | undefined;
  return {
    backend,
    async time(spec, signal) {
      reference ??= createSpeedReference(tf, () => performance.now(), 40);
      // Let status polls (HTTP, IPC) through between models: timing a model blocks the event loop.
      await new Promise((r) => setTimeout(r, 0));
      return runModelTiming(spec, {
        tf, backend, now: () => performance.now(), warmup: opts.warmup ?? 5, warmupMs: opts.warmupMs ?? 300, repeats: opts.repeats ?? 10, timedMs: opts.timedMs ?? 500, batchMs: opts.batchMs ?? quotaBatchMs,
        signal, runner: 'tfjs-node', reference,
      });
    },
  };
}
