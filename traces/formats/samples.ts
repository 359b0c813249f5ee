/**
 * Turning (time, rate) samples read from a file into a BandwidthTrace, with the checks
 * every time-based format shares: time never goes backwards, rates are numbers >= 0,
 * at least two samples. Samples that repeat the previous timestamp (30 of the 175
 * Lumos5G 4G files log one second twice) are merged into one sample with the mean rate,
 * since a zero-length step carries no time.
 */
import { TraceParseError } from '../errors.ts';
import type { BandwidthTrace, TraceFormat } from '../trace.ts';
import { baseName } from './text-lines.ts';

export interface RawSample {
  /** Seconds, as in the file (any origin). */
  t: number;
  /** Mbit/s. */
  mbps: number;
  /** 1-based line the sample came from. */
  line: number;
}

export const MIN_SAMPLES = 2;

export function traceFromSamples(fileName: string, format: TraceFormat, samples: RawSample[]): BandwidthTrace {
  if (samples.length === 0) throw new TraceParseError(fileName, 0, 'the file holds no samples');
  const tS: number[] = [];
  const mbps: number[] = [];
  let mergedCount = 1;
  const origin = samples[0].t;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    if (!Number.isFinite(s.t)) throw new TraceParseError(fileName, s.line, `time ${s.t} is not a finite number`);
    if (!Number.isFinite(s.mbps)) throw new TraceParseError(fileName, s.line, `rate ${s.mbps} is not a finite number`);
    if (s.mbps < 0) throw new TraceParseError(fileName, s.line, `negative rate ${s.mbps} Mbit/s`);
    if (i > 0) {
      const prev = samples[i - 1];
      if (s.t < prev.t) {
        throw new TraceParseError(fileName, s.line, `time goes backwards: ${s.t} after ${prev.t} on line ${prev.line}`);
      }
      if (s.t === prev.t) {
        // Running mean of the samples sharing this timestamp.
        mergedCount++;
        const k = mbps.length - 1;
        mbps[k] += (s.mbps - mbps[k]) / mergedCount;
        continue;
      }
    }
    mergedCount = 1;
    tS.push(s.t - origin);
    mbps.push(s.mbps);
  }
  if (tS.length < MIN_SAMPLES) {
    throw new TraceParseError(fileName, 0, `too few samples: ${tS.length} distinct time(s), need at least ${MIN_SAMPLES}`);
  }
  return { name: baseName(fileName), format, tS, mbps };
}
