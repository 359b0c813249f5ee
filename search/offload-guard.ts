/**
 * The offload guard (an extension of Alg. 2, used by the runtime and by emulation alike):
 * a tree node that cuts was chosen for its bandwidth type, but the rate measured at the cut
 * can be far below that type (a trace's outage lies below its lower quartile). Below the
 * guard rate the estimate says finishing the base model on the device beats sending the
 * features (Eq. 6 transfer + cloud > the rest on the device), so the runtime does that.
 * null: the composition sends nothing, or the device is never slower (nothing to guard).
 */
import { transferMs } from '../latency/transfer-latency.ts';
import type { EvaluationPool } from './evaluation-pool.ts';
import type { Composition } from './problem.ts';

/** The guard rate and the estimate of finishing on the device instead (ms, the whole inference). */
export interface OffloadGuard {
  mbps: number;
  deviceMs: number;
}

/** The rate (Mbit/s) below which `c`'s offload is estimated slower than finishing on the device. */
export function offloadGuardMbps(pool: EvaluationPool, c: Composition): number | null {
  return offloadGuard(pool, c)?.mbps ?? null;
}

export function offloadGuard(pool: EvaluationPool, c: Composition): OffloadGuard | null {
  const L = pool.layerCount;
  if (c.cut >= L) return null;
  const s = pool.structure(c);
  if (s.cutBytes === 0) return null;
  // Finishing on the device runs the base layers [cut, L) after the same device prefix.
  const deviceMs = pool.structure({ cut: L, variantIds: c.variantIds }).edgeMs;
  const rest = deviceMs - s.edgeMs;
  const budget = rest - s.cloudMs;
  if (!(budget > 0)) return null;
  const slower = (w: number): boolean => transferMs(s.cutBytes, w, pool.problem.device) > budget;
  let lo = 1e-6;
  let hi = 1e6;
  if (!slower(lo)) return null;
  if (slower(hi)) return { mbps: hi, deviceMs };
  // Transfer time falls as the rate rises: bisect in log space to 0.1%.
  while (hi / lo > 1.001) {
    const mid = Math.sqrt(lo * hi);
    if (slower(mid)) lo = mid;
    else hi = mid;
  }
  return { mbps: hi, deviceMs };
}
