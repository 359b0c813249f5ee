/**
 * The cache size a runtime actually has, from the cache probe (FC layers of 1 to 64 MiB of
 * weights, each repeated warm). While its weights fit in the cache a repeat reads them from
 * there; past it, from memory, and the time per weight climbs. The reported sizes can be far
 * off on virtual machines: one of this project's reported a 508 MiB L3 (getconf), while its
 * ONNX Runtime convs slowed 3x once a model's weights passed about 32 MiB.
 *
 * The knee is the largest probe whose time per byte stays below the geometric mean of the
 * cache's (the three smallest probes') and the largest probe's; it is found only when the
 * largest probe is at least MIN_MEMORY_RATIO times slower per byte than the smallest (else
 * the runtime is not held up by memory at these sizes, and the cold lines do not matter).
 */
import { FitError } from './errors.ts';
import { median } from './least-squares.ts';

export interface CacheProbePoint {
  caseId: string;
  /** Bytes of float32 weights of the probe layer. */
  weightBytes: number;
  medianMs: number;
}

export interface CacheKnee {
  /** Bytes: the largest probe still read from the cache; null when no knee showed. */
  bytes: number | null;
  /** The largest probe's time per byte over the smallest's. */
  memoryRatio: number;
  /** Each probe's time per MiB, ms, by size. */
  points: { weightBytes: number; msPerMiB: number }[];
}

export const MIN_MEMORY_RATIO = 1.5;

export function findCacheKnee(points: readonly CacheProbePoint[]): CacheKnee {
  points.forEach((p) => {
    if (!(p.weightBytes > 0) || !Number.isFinite(p.weightBytes) || !(p.medianMs > 0) || !Number.isFinite(p.medianMs)) {
      throw new FitError(`cache probe "${p.caseId}"`, `its weight bytes and time must be finite numbers > 0, got ${p.weightBytes} bytes, ${p.medianMs} ms`);
    }
  });
  const sorted = [...points].sort((a, b) => a.weightBytes - b.weightBytes).map((p) => ({ weightBytes: p.weightBytes, msPerMiB: (p.medianMs / p.weightBytes) * 2 ** 20 }));
  if (sorted.length < 3) throw new FitError('the cache probe', `it needs at least 3 sizes, got ${sorted.length}`);
  // The cache's speed: the median of the three smallest probes, so one noisy point does not set it.
  const fast = median(sorted.slice(0, 3).map((p) => p.msPerMiB));
  const slow = sorted[sorted.length - 1].msPerMiB;
  const memoryRatio = slow / fast;
  if (memoryRatio < MIN_MEMORY_RATIO) return { bytes: null, memoryRatio, points: sorted };
  const threshold = Math.sqrt(fast * slow);
  // From the top down: the knee is the largest probe at cache speed, so one slow probe below it (a burst of load) cannot pull it down.
  let knee = sorted.length - 1;
  while (knee >= 0 && sorted[knee].msPerMiB > threshold) knee--;
  return { bytes: knee < 0 ? null : sorted[knee].weightBytes, memoryRatio, points: sorted };
}
