/**
 * Mahimahi packet-delivery traces (mm-link): one integer per line, the millisecond
 * timestamp of one opportunity to deliver a 1500-byte packet; a timestamp repeated n
 * times = n packets in that millisecond. mm-link replays the file in a loop whose
 * period is the last timestamp, so the trace lasts `lastMs` (a file holding just "1"
 * is a constant 12 Mbit/s link).
 *
 * Throughput is binned: bin b covers [b*binMs, (b+1)*binMs) ms and its rate is
 * packets * 1500 * 8 bit / bin length, i.e. packets * 12 / binMs Mbit/s. The last bin
 * ends at `lastMs` (it may be shorter than binMs; its rate uses its own length), and
 * the packets stamped exactly `lastMs` count in it. Default bin: 1000 ms.
 */
import { TraceParseError } from '../errors.ts';
import type { BandwidthTrace } from '../trace.ts';
import { baseName, contentLines, headLines, mostLinesMatch } from './text-lines.ts';

export const MAHIMAHI_PACKET_BYTES = 1500;
export const MAHIMAHI_DEFAULT_BIN_MS = 1000;

export interface MahimahiOptions {
  /** Bin length in milliseconds (positive integer). Default 1000. */
  binMs?: number;
}

const INTEGER = /^\d+$/;

/**
 * True when most (>= 80%) of the first 50 non-blank lines are one non-negative integer,
 * so that a file with a bad line near the top is still read as mahimahi and the
 * parser can say which line is wrong.
 */
export function recognises(_fileName: string, text: string): boolean {
  return mostLinesMatch(headLines(text, false, 50), (t) => INTEGER.test(t));
}

export function parse(fileName: string, text: string, options: MahimahiOptions = {}): BandwidthTrace {
  const binMs = options.binMs ?? MAHIMAHI_DEFAULT_BIN_MS;
  if (!Number.isInteger(binMs) || binMs <= 0) {
    throw new TraceParseError(fileName, 0, `bin length must be a positive whole number of ms, got ${binMs}`);
  }
  const lines = contentLines(text, false);
  if (lines.length === 0) throw new TraceParseError(fileName, 0, 'the file is empty: expected one millisecond timestamp per line');
  const stamps: number[] = new Array<number>(lines.length);
  let prev = -1;
  let prevLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const { line, text: t } = lines[i];
    if (!INTEGER.test(t)) {
      throw new TraceParseError(fileName, line, `expected one integer millisecond timestamp (mahimahi), got "${t}"`);
    }
    const ms = Number(t);
    if (ms < prev) throw new TraceParseError(fileName, line, `time goes backwards: ${ms} ms after ${prev} ms on line ${prevLine}`);
    stamps[i] = ms;
    prev = ms;
    prevLine = line;
  }
  const lastMs = stamps[stamps.length - 1];
  if (lastMs <= 0) {
    throw new TraceParseError(fileName, 0, 'too few samples: the last timestamp is 0 ms, so the trace has no length');
  }
  const bins = Math.ceil(lastMs / binMs);
  const counts = new Array<number>(bins).fill(0);
  for (const ms of stamps) counts[Math.min(Math.floor(ms / binMs), bins - 1)]++;
  const bitsPerPacket = MAHIMAHI_PACKET_BYTES * 8;
  const tS: number[] = [];
  const mbps: number[] = [];
  for (let b = 0; b < bins; b++) {
    const lengthMs = Math.min(binMs, lastMs - b * binMs);
    tS.push((b * binMs) / 1000);
    // bits / (lengthMs / 1000 s) / 1e6 = bits / lengthMs / 1000
    mbps.push((counts[b] * bitsPerPacket) / lengthMs / 1000);
  }
  return { name: baseName(fileName), format: 'mahimahi', tS, mbps, endS: lastMs / 1000 };
}
