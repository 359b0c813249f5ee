/**
 * Turns a tool's timings into a Measurement. The tools print no quartiles, so
 * p25 and p75 are set to the median; min and max carry the spread they print.
 */
import type { BenchCase } from '../bench-plan.ts';
import type { Measurement, RunnerKind } from '../measurement.ts';
import type { NativeTool, ToolTimings } from './tool-output.ts';

const RUNNER: Record<NativeTool, RunnerKind> = {
  benchmark_model: 'tflite-benchmark-model',
  trtexec: 'trtexec',
  onnxruntime_perf_test: 'onnxruntime-perf-test',
};

export function toolMeasurement(
  timings: ToolTimings,
  bench: Pick<BenchCase, 'id' | 'kind' | 'kernel' | 'macc'>,
  opts: { backend: string; measuredAt: string; requestedRepeats: number },
): Measurement {
  return {
    caseId: bench.id,
    kind: bench.kind,
    kernel: bench.kernel,
    macc: bench.macc,
    medianMs: timings.medianMs,
    p25Ms: timings.medianMs,
    p75Ms: timings.medianMs,
    minMs: timings.minMs,
    maxMs: timings.maxMs,
    repeats: timings.count ?? opts.requestedRepeats,
    runner: RUNNER[timings.tool],
    backend: opts.backend,
    measuredAt: opts.measuredAt,
  };
}
