/**
 * Delimited throughput logs (CSV and kin): comma, semicolon or tab between fields,
 * with or without a header row (detected: a first row with text where the second has numbers), double quotes around a field stripped (quoted
 * delimiters are not supported). Blank lines and `#` comment lines are skipped.
 *
 * Columns: `timeColumn` / `rateColumn` name a header field (case-insensitive) or give
 * a 1-based column number ("2"). Left out: with a header, the first field whose name
 * looks like time (time, t, ts, timestamp, sec...) and the first other field that looks
 * like a rate (throughput, bandwidth, rate, speed, tput, ...bps); else columns 1 and 2.
 * Rate unit: `rateUnit` (bps = bit/s, Bps = byte/s, kbps = 1e3 bit/s, Mbps = 1e6 bit/s);
 * left out, read from the rate column's name (mbps/mbit, kbps/kbit, Bps/bytes, bps/bit)
 * and Mbit/s when it says nothing. Time unit: `timeUnit` 's' or 'ms'; left out, ms when
 * the time column's name says ms/millis, else seconds. Times are shifted to start at 0.
 */
import { TraceParseError } from '../errors.ts';
import type { BandwidthTrace } from '../trace.ts';
import { traceFromSamples, type RawSample } from './samples.ts';
import { contentLines, headLines, parseDecimal } from './text-lines.ts';

export type RateUnit = 'bps' | 'Bps' | 'kbps' | 'Mbps';
export const RATE_UNITS: readonly RateUnit[] = ['bps', 'Bps', 'kbps', 'Mbps'];
export type TimeUnit = 's' | 'ms';

/** Mbit/s per one unit of each rate unit. */
export const MBPS_PER_UNIT: Readonly<Record<RateUnit, number>> = { bps: 1e-6, Bps: 8e-6, kbps: 1e-3, Mbps: 1 };

export interface CsvOptions {
  timeColumn?: string;
  rateColumn?: string;
  rateUnit?: RateUnit;
  timeUnit?: TimeUnit;
}

const DELIMITERS = [',', ';', '\t'] as const;
type Delimiter = (typeof DELIMITERS)[number];

function splitFields(line: string, d: Delimiter): string[] {
  return line.split(d).map((f) => f.trim().replace(/^"(.*)"$/, '$1').trim());
}

/** The delimiter splitting the first line into the most fields (at least 2); null if none does. */
function detectDelimiter(firstLine: string): Delimiter | null {
  let best: Delimiter | null = null;
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = firstLine.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** True for a .csv/.tsv file, or when the first lines split into the same number (>= 2) of fields. */
export function recognises(fileName: string, text: string): boolean {
  const lines = headLines(text, true, 20);
  if (lines.length === 0) return false;
  if (/\.(csv|tsv)$/i.test(fileName)) return true;
  const d = detectDelimiter(lines[0].text);
  if (d === null) return false;
  const n = splitFields(lines[0].text, d).length;
  return lines.every((l) => splitFields(l.text, d).length === n);
}

const TIME_NAME = /^(t|ts|time|timestamp|sec|secs|seconds|elapsed)\b|time|timestamp/i;
const RATE_NAME = /throughput|bandwidth|rate|speed|tput|capacity|bps|bit\/s|b\/s/i;

function unitFromName(name: string): RateUnit | null {
  if (/mbps|mbit/i.test(name)) return 'Mbps';
  if (/kbps|kbit/i.test(name)) return 'kbps';
  if (/Bps|byte/.test(name)) return 'Bps';
  if (/bps|bit\/s|bits/i.test(name)) return 'bps';
  return null;
}

function timeUnitFromName(name: string): TimeUnit {
  return /(^|[^a-z])ms([^a-z]|$)|millis/i.test(name) ? 'ms' : 's';
}

export function parse(fileName: string, text: string, options: CsvOptions = {}): BandwidthTrace {
  const lines = contentLines(text, true);
  if (lines.length === 0) throw new TraceParseError(fileName, 0, 'the file is empty: expected delimited rows of time and rate');
  const first = lines[0];
  const delimiter = detectDelimiter(first.text);
  if (delimiter === null) {
    throw new TraceParseError(fileName, first.line, `expected fields separated by comma, semicolon or tab, got "${first.text}"`);
  }
  const firstFields = splitFields(first.text, delimiter);
  const width = firstFields.length;
  // A header row: some field is not a number where the next row has one (a text
  // column in every row, e.g. a cell id, does not make the first row a header).
  const secondFields = lines.length > 1 ? splitFields(lines[1].text, delimiter) : null;
  const hasHeader = firstFields.some(
    (f, i) => Number.isNaN(parseDecimal(f)) && (secondFields === null || !Number.isNaN(parseDecimal(secondFields[i] ?? ''))),
  );
  const header = hasHeader ? firstFields : null;

  const resolve = (spec: string | undefined, role: string, guess: RegExp, fallback: number, not: number): number => {
    if (spec !== undefined && /^\d+$/.test(spec.trim())) {
      const n = Number(spec.trim());
      if (n < 1 || n > width) {
        throw new TraceParseError(fileName, first.line, `${role} column ${n} does not exist: the rows have ${width} columns`);
      }
      return n - 1;
    }
    if (spec !== undefined) {
      if (header === null) {
        throw new TraceParseError(fileName, first.line, `${role} column "${spec}" named, but the file has no header row: give a 1-based column number`);
      }
      const i = header.findIndex((h) => h.toLowerCase() === spec.trim().toLowerCase());
      if (i < 0) throw new TraceParseError(fileName, first.line, `no ${role} column "${spec}" in header ${JSON.stringify(header)}`);
      return i;
    }
    if (header !== null) {
      const i = header.findIndex((h, k) => k !== not && guess.test(h));
      if (i >= 0) return i;
    }
    return fallback === not ? (fallback + 1) % width : fallback;
  };
  const timeCol = resolve(options.timeColumn, 'time', TIME_NAME, 0, -1);
  const rateCol = resolve(options.rateColumn, 'rate', RATE_NAME, 1, timeCol);
  if (timeCol === rateCol) throw new TraceParseError(fileName, first.line, `time and rate are the same column (${timeCol + 1})`);
  const rateUnit = options.rateUnit ?? (header ? unitFromName(header[rateCol]) : null) ?? 'Mbps';
  if (!RATE_UNITS.includes(rateUnit)) {
    throw new TraceParseError(fileName, 0, `unknown rate unit "${String(rateUnit)}", expected one of ${RATE_UNITS.join(', ')}`);
  }
  const timeUnit = options.timeUnit ?? (header ? timeUnitFromName(header[timeCol]) : 's');
  const secondsPerTimeUnit = timeUnit === 'ms' ? 1e-3 : 1;
  const mbpsPerUnit = MBPS_PER_UNIT[rateUnit];
  const colName = (i: number): string => (header ? `"${header[i]}"` : `${i + 1}`);

  const samples: RawSample[] = [];
  for (const { line, text: t } of hasHeader ? lines.slice(1) : lines) {
    const fields = splitFields(t, delimiter);
    if (fields.length !== width) {
      throw new TraceParseError(fileName, line, `expected ${width} fields separated by "${delimiter === '\t' ? '\\t' : delimiter}", got ${fields.length} in "${t}"`);
    }
    const time = parseDecimal(fields[timeCol]);
    if (Number.isNaN(time)) throw new TraceParseError(fileName, line, `time column ${colName(timeCol)} is "${fields[timeCol]}", expected a number`);
    const rate = parseDecimal(fields[rateCol]);
    if (Number.isNaN(rate)) throw new TraceParseError(fileName, line, `rate column ${colName(rateCol)} is "${fields[rateCol]}", expected a number`);
    samples.push({ t: time * secondsPerTimeUnit, mbps: rate * mbpsPerUnit, line });
  }
  return traceFromSamples(fileName, 'csv', samples);
}
