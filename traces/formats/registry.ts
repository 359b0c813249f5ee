/**
 * One entry point for trace files: an explicit format, or the first format that
 * recognises the file (mahimahi, then two-column time/Mbit/s, then CSV).
 */
import { TraceParseError } from '../errors.ts';
import type { BandwidthTrace, TraceFormat } from '../trace.ts';
import * as csv from './csv.ts';
import type { RateUnit, TimeUnit } from './csv.ts';
import * as mahimahi from './mahimahi.ts';
import * as timeMbps from './time-mbps.ts';

export interface TraceParseOptions {
  format?: TraceFormat;
  /** CSV: time column, header name or 1-based number. */
  timeColumn?: string;
  /** CSV: rate column, header name or 1-based number. */
  rateColumn?: string;
  /** CSV: unit of the rate column. */
  rateUnit?: RateUnit;
  /** CSV: unit of the time column (default seconds, or ms when its name says so). */
  timeUnit?: TimeUnit;
  /** Mahimahi: throughput bin length in ms (default 1000). */
  binMs?: number;
}

/** The format that recognises this file, in detection order; null when none does. */
export function detectTraceFormat(fileName: string, text: string): TraceFormat | null {
  if (mahimahi.recognises(fileName, text)) return 'mahimahi';
  if (timeMbps.recognises(fileName, text)) return 'time-mbps';
  if (csv.recognises(fileName, text)) return 'csv';
  return null;
}

export function parseTraceFile(fileName: string, text: string, options: TraceParseOptions = {}): BandwidthTrace {
  const csvOptionGiven = options.timeColumn !== undefined || options.rateColumn !== undefined || options.rateUnit !== undefined || options.timeUnit !== undefined;
  let format = options.format;
  if (format === undefined) {
    if (text.trim() === '') throw new TraceParseError(fileName, 0, 'the file is empty');
    // Column options only make sense for CSV; a tab-separated 2-column file read as CSV gives the same samples.
    format = csvOptionGiven && csv.recognises(fileName, text) ? 'csv' : (detectTraceFormat(fileName, text) ?? undefined);
    if (format === undefined) {
      throw new TraceParseError(
        fileName,
        0,
        'unrecognised trace format: expected mahimahi (one ms timestamp per line), two columns "time_s Mbit/s", or delimited columns (CSV); name the format to see what is wrong',
      );
    }
  }
  switch (format) {
    case 'mahimahi':
      return mahimahi.parse(fileName, text, { binMs: options.binMs });
    case 'time-mbps':
      return timeMbps.parse(fileName, text);
    case 'csv':
      return csv.parse(fileName, text, options);
    default:
      throw new TraceParseError(fileName, 0, `unknown trace format "${String(format)}", expected mahimahi, time-mbps or csv`);
  }
}
