/**
 * One timed result: a micro-benchmark case, or a whole model (kind 'model') when
 * checking measured against estimated latency. Stored as it arrives, so a device
 * that drops mid-suite loses nothing already measured.
 */
import type { BenchKind } from './bench-plan.ts';

/** Which runner produced a measurement. */
export type RunnerKind =
  | 'tfjs-node'
  | 'tfjs-browser'
  | 'onnxruntime-node'
  | 'onnxruntime-perf-test'
  | 'tflite-benchmark-model'
  | 'trtexec'
  | 'imported-csv';

export interface Measurement {
  caseId: string;
  kind: BenchKind | 'model';
  kernel: number | null;
  macc: number;
  /** Median of the timed repeats, milliseconds. */
  medianMs: number;
  /** Spread: quartiles, min and max of the repeats, milliseconds. */
  p25Ms: number;
  p75Ms: number;
  minMs: number;
  maxMs: number;
  repeats: number;
  runner: RunnerKind;
  /** The compute backend that ran it, as the runner reports it (e.g. "wasm (simd)", "webgl", "tensorflow"). */
  backend: string;
  /** ISO 8601. */
  measuredAt: string;
  /**
   * Median ms of the speed reference (profiler/runner/speed-reference.ts) timed in the same
   * process just before this case: how fast the device was at that moment. Absent from
   * runners and imports that do not time it.
   */
  referenceMs?: number;
}
