/**
 * Two-column throughput logs: `time_s  Mbit/s` separated by spaces or tabs, one sample
 * per line (Norway HSDPA 3G, tab-separated, irregular ~0.5-1 s steps; Lumos5G 4G,
 * one sample per second). Blank lines and `#` comment lines are skipped.
 * Times are shifted so the first sample is at 0 s; the last sample holds for the
 * median interval (see trace.ts).
 */
import { TraceParseError } from '../errors.ts';
import type { BandwidthTrace } from '../trace.ts';
import { traceFromSamples, type RawSample } from './samples.ts';
import { contentLines, headLines, mostLinesMatch, parseDecimal } from './text-lines.ts';

const TWO_NUMBERS = /^\S+[ \t]+\S+$/;

/**
 * True when most (>= 80%) of the first 20 non-blank lines are two numbers separated by
 * blanks (a bad line near the top still gets this parser's line-numbered error).
 */
export function recognises(_fileName: string, text: string): boolean {
  return mostLinesMatch(headLines(text, true, 20), (t) => {
    if (!TWO_NUMBERS.test(t)) return false;
    const [a, b] = t.split(/[ \t]+/);
    return !Number.isNaN(parseDecimal(a)) && !Number.isNaN(parseDecimal(b));
  });
}

export function parse(fileName: string, text: string): BandwidthTrace {
  const lines = contentLines(text, true);
  if (lines.length === 0) throw new TraceParseError(fileName, 0, 'the file is empty: expected lines "time_s Mbit/s"');
  const samples: RawSample[] = lines.map(({ line, text: t }) => {
    const cols = t.split(/[ \t]+/);
    const time = cols.length === 2 ? parseDecimal(cols[0]) : Number.NaN;
    const rate = cols.length === 2 ? parseDecimal(cols[1]) : Number.NaN;
    if (Number.isNaN(time) || Number.isNaN(rate)) {
      throw new TraceParseError(fileName, line, `expected 2 numeric columns "time_s Mbit/s", got "${t}"`);
    }
    return { t: time, mbps: rate, line };
  });
  return traceFromSamples(fileName, 'time-mbps', samples);
}
