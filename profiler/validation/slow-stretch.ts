/**
 * A timing whose speed reference ran slower than the calibration's was taken in a slow
 * stretch of the device (a shared machine's neighbours, a throttled board); it is timed
 * again, and the timing nearest the calibration's speed kept. Serves the validation and
 * the calibration's anchor models alike.
 */
import { speedFactor } from '../../latency/speed-reference.ts';
import type { ModelTiming } from '../runner/run-bench-cases.ts';

/**
 * A timing whose reference ran this much slower than the calibration's is timed again. On a
 * shared VM, models timed at a factor above this were 20-35% slower than at a factor near 1,
 * while the reference itself varies ~5%.
 */
export const SLOW_STRETCH_FACTOR = 1.15;
export const MAX_RETIMES = 3;

export interface AtCalibrationSpeed {
  timing: ModelTiming;
  /** Extra timings taken. */
  retimes: number;
  /** Still in a slow stretch after them. */
  slow: boolean;
}

/**
 * Times again (with `timeAgain`) while `first` and its successors came in a slow stretch
 * against `calibrationReferenceMs`, at most `maxRetimes` times; keeps the timing nearest the
 * calibration's speed. Without a reference on either side nothing is timed again.
 */
export async function atCalibrationSpeed(
  first: ModelTiming,
  calibrationReferenceMs: number | undefined,
  timeAgain: (attempt: number) => Promise<ModelTiming>,
  maxRetimes: number = MAX_RETIMES,
): Promise<AtCalibrationSpeed> {
  const factor = (t: ModelTiming): number | null => speedFactor(calibrationReferenceMs, t.referenceMs);
  const slow = (t: ModelTiming): boolean => (factor(t) ?? 0) > SLOW_STRETCH_FACTOR;
  let timing = first;
  let retimes = 0;
  while (slow(timing) && retimes < maxRetimes) {
    retimes += 1;
    const again = await timeAgain(retimes);
    if ((factor(again) ?? Infinity) < (factor(timing) ?? Infinity)) timing = again;
  }
  return { timing, retimes, slow: slow(timing) };
}
