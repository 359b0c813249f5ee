/**
 * A speed reference: one fixed conv layer (3x3, 16x16x24 -> 24, 1.3 M MACC) that every Node
 * runner times right after each case of a calibration and each model of a validation. A
 * shared machine (a virtual machine's neighbours, a phone's thermal state) runs 10-30%
 * slower for stretches of seconds to minutes; the reference, timed in the same process a
 * moment later, says how fast the device was then, so timings taken at different speeds
 * can be put on one scale (latency/speed-reference.ts). After, not before: a validation runs
 * one model per process, and a reference timed before it, in a process still cold, read
 * every model of a validation under a 0.5 quota 14-16% slow (a calibration's processes time
 * many cases, so its median reference is a warm one).
 */
import type * as TF from '@tensorflow/tfjs';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { initWeights } from '../../dnn/tfjs/init-weights.ts';
import { SpecExecutor } from '../../dnn/tfjs/spec-executor.ts';
import { summarizeTimings } from './timing-summary.ts';

export const SPEED_REFERENCE_ID = 'reference-conv-k3-i16x16x24-o24-s1';

export const SPEED_REFERENCE_SPEC: ModelSpec = {
  name: SPEED_REFERENCE_ID,
  inputShape: [16, 16, 24],
  layers: [{ id: 'conv', type: 'conv', kernel: 3, stride: 1, padding: 'same', outChannels: 24 }],
};

export interface SpeedReference {
  /** Median ms of the reference layer over `repeats` runs now (after a short warm-up). */
  timeMs(): number;
  dispose(): void;
}

/**
 * Builds the reference once per process and runs it for `warmupMs` first (a fresh process's
 * code is still cold); each timeMs() then warms it briefly and times it.
 */
export function createSpeedReference(tf: typeof TF, now: () => number, repeats: number, warmupMs = 300, seed = 1): SpeedReference {
  const executor = new SpecExecutor(SPEED_REFERENCE_SPEC, initWeights(SPEED_REFERENCE_SPEC, seed));
  const input = tf.randomNormal([1, ...SPEED_REFERENCE_SPEC.inputShape], 0, 1, 'float32', seed) as TF.Tensor4D;
  const start = now();
  while (now() - start < warmupMs) {
    const y = executor.predict(input);
    y.dataSync();
    y.dispose();
  }
  return {
    timeMs() {
      const t = executor.timeLayers(input, { warmup: 3, repeats: Math.max(5, repeats), now });
      return summarizeTimings(t.layerMs[t.layerMs.length - 1]).medianMs;
    },
    dispose() {
      input.dispose();
      executor.dispose();
    },
  };
}
