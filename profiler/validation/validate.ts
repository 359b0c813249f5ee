/**
 * Measured versus estimated latency (issue 3, item 5): times each whole model on the
 * device (total and per layer, medians of repeats), estimates it with the profile
 * (Eq. 3 with cut = L, edge only; per layer the compute line of its type and kernel)
 * and reports the figures nn-Meter reports. The timer is passed in, so the same code
 * serves this computer and any device whose runner can time whole models.
 */
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import type { DeviceProfile } from '../../latency/device-profile.ts';
import { estimateLatency } from '../../latency/estimate.ts';
import { analysedLayerLatencyMs, profileForRange } from '../../latency/compute-latency.ts';
import { validationMetrics } from '../../latency/fit/validation-metrics.ts';
import { median } from '../../latency/fit/least-squares.ts';
import { speedFactor } from '../../latency/speed-reference.ts';
import type { ValidationModelRow, ValidationReport } from '../../api/calibration-api.ts';
import type { ModelTiming } from '../runner/run-bench-cases.ts';
import { ValidationError } from './validation-error.ts';
import { atCalibrationSpeed, MAX_RETIMES } from './slow-stretch.ts';

export interface ModelTimer {
  /** The backend in words, e.g. "wasm (SIMD, 1 thread)". */
  readonly backend: string;
  time(spec: ModelSpec, signal?: AbortSignal): Promise<ModelTiming>;
}

export interface ValidateOptions {
  models: readonly ModelSpec[];
  profile: DeviceProfile;
  profileId: string;
  deviceId: string;
  timer: ModelTimer;
  signal?: AbortSignal;
  /** Passes over the whole set (default 2); each model keeps the timing with the lowest median. */
  passes?: number;
  /** Extra timings of a model whose best timing came in a slow stretch (default MAX_RETIMES). */
  maxRetimes?: number;
  /** Called before each model timing (done = timings finished so far, total = models x passes). */
  onProgress?(done: number, total: number, current: string | null): void;
  /** Called with each model's row as it is measured. */
  onModel?(row: ValidationModelRow): void;
}

/** One model: measured on the device, estimated with the profile, per model and per layer. */
export function compareModel(spec: ModelSpec, timing: ModelTiming, profile: DeviceProfile): ValidationModelRow {
  const analysis = analyzeModel(spec);
  if (timing.layers.length !== analysis.layers.length) {
    throw new ValidationError(`model "${spec.name}": the runner timed ${timing.layers.length} layers, the spec has ${analysis.layers.length}`);
  }
  const estimatedMs = estimateLatency(analysis, analysis.layers.length, profile, null, 1).totalMs;
  const measuredMs = timing.total.medianMs;
  // Per layer with the lines the whole-model estimate used (cache-cold ones for a model larger than the cache).
  const lines = profileForRange(analysis, profile, 0, analysis.layers.length);
  const errorPct = (est: number): number => (measuredMs > 0 ? ((est - measuredMs) / measuredMs) * 100 : 0);
  const factor = speedFactor(profile.reference?.ms, timing.referenceMs);
  return {
    name: spec.name,
    macc: analysis.macc,
    measuredMs,
    estimatedMs,
    errorPct: errorPct(estimatedMs),
    ...(factor !== null && { speedFactor: factor }),
    layers: analysis.layers.map((l, i) => ({
      index: i, id: l.layer.id, type: l.layer.type, macc: l.macc,
      measuredMs: timing.layers[i].medianMs, estimatedMs: analysedLayerLatencyMs(lines, l),
    })),
  };
}

/** Runs and compares every model; throws ValidationError naming the model that failed. */
export async function validateModels(opts: ValidateOptions): Promise<ValidationReport> {
  if (opts.models.length === 0) throw new ValidationError('validation: no models to measure');
  // Check coverage before timing anything: a profile without a line for a layer fails at once.
  for (const spec of opts.models) {
    const analysis = analyzeModel(spec);
    try {
      estimateLatency(analysis, analysis.layers.length, opts.profile, null, 1);
    } catch (e) {
      throw new ValidationError(`model "${spec.name}": profile ${opts.profileId} cannot estimate it: ${(e as Error).message}`, { cause: e });
    }
  }
  // Every model is timed in `passes` passes over the whole set, keeping its lowest median: load
  // from other processes only ever adds time, and a burst rarely hits the same model twice.
  const passes = Math.max(1, Math.floor(opts.passes ?? 2));
  const total = opts.models.length * passes;
  const best: (ModelTiming | null)[] = opts.models.map(() => null);
  const rows: ValidationModelRow[] = [];
  const maxRetimes = Math.max(0, Math.floor(opts.maxRetimes ?? MAX_RETIMES));
  let timed = 0;
  let retimed = 0;
  const timeOne = async (spec: ModelSpec): Promise<ModelTiming> => {
    try {
      return await opts.timer.time(spec, opts.signal);
    } catch (e) {
      if (opts.signal?.aborted) throw new ValidationError(`validation was cancelled after ${rows.length} of ${opts.models.length} models`, { cancelled: true, cause: e });
      throw new ValidationError(`model "${spec.name}" could not be timed on ${opts.deviceId}: ${(e as Error).message}`, { cause: e });
    }
  };
  for (let pass = 0; pass < passes; pass++) {
    for (const [i, spec] of opts.models.entries()) {
      if (opts.signal?.aborted) throw new ValidationError(`validation was cancelled after ${rows.length} of ${opts.models.length} models`, { cancelled: true });
      opts.onProgress?.(timed, total, spec.name);
      const timing = await timeOne(spec);
      timed += 1;
      const prev = best[i];
      if (prev === null || atReferenceSpeed(timing) < atReferenceSpeed(prev)) best[i] = timing;
      if (pass === passes - 1) {
        const { timing: chosen, retimes, slow } = await atCalibrationSpeed(best[i] ?? timing, opts.profile.reference?.ms, async (attempt) => {
          if (opts.signal?.aborted) throw new ValidationError(`validation was cancelled after ${rows.length} of ${opts.models.length} models`, { cancelled: true });
          opts.onProgress?.(timed, total + retimed + attempt, `${spec.name} (again: a slow stretch)`);
          const again = await timeOne(spec);
          timed += 1;
          return again;
        }, maxRetimes);
        retimed += retimes;
        const row: ValidationModelRow = { ...compareModel(spec, chosen, opts.profile), ...(retimes > 0 && { retimes }), ...(slow && { unsteady: true }) };
        rows.push(row);
        opts.onModel?.(row);
      }
    }
  }
  opts.onProgress?.(timed, total, null);
  const m = validationMetrics(rows);
  const meanErrorPct = (errors: readonly number[]): number => errors.reduce((a, e) => a + e, 0) / errors.length;
  const factors = rows.map((r) => r.speedFactor).filter((f) => f !== undefined);
  return {
    profileId: opts.profileId, deviceId: opts.deviceId, backend: opts.timer.backend, models: rows,
    within10Pct: m.within10Pct, within5Pct: m.within5Pct, mapePct: m.mapePct, rmseMs: m.rmseMs,
    meanErrorPct: meanErrorPct(m.items.map((x) => x.errorPct)),
    ...(factors.length === rows.length && { medianSpeedFactor: median(factors) }),
    retimed, unsteady: rows.filter((r) => r.unsteady === true).map((r) => r.name),
  };
}

/** A timing's median at the reference speed when it has a reference (the lower, the less a slow stretch touched it), else its median. */
function atReferenceSpeed(t: ModelTiming): number {
  return t.referenceMs !== undefined && t.referenceMs > 0 ? t.total.medianMs / t.referenceMs : t.total.medianMs;
}
