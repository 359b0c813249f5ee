/**
 * Transfer latency T_t = f(S|W) + S/W (paper Eq. 6): S bytes over a link of W Mbit/s,
 * f the profile's first-packet delay (see TransferLine), S/W the transmission time:
 * S * 8 / (W * 1e6) s = S * 8 / (W * 1e3) ms.
 */
import type { DeviceProfile } from './device-profile.ts';
import { LatencyInputError } from './errors.ts';
import { sampleHoldS, sampleIndexAt, traceDurationS, type BandwidthTrace } from '../traces/trace.ts';

/**
 * f(S|W) in ms: the profile's lines interpolated linearly in log W (clamped to the
 * nearest line outside their range, and to the lowest line for W <= 0); 0 without lines;
 * never below 0.
 */
export function firstPacketMs(bytes: number, bandwidthMbps: number, profile: DeviceProfile): number {
  if (profile.transfer.length === 0) return 0;
  const lines = [...profile.transfer].sort((a, b) => a.bandwidthMbps - b.bandwidthMbps);
  let intercept: number;
  let slope: number;
  const lo = lines[0];
  const hi = lines[lines.length - 1];
  if (!(bandwidthMbps > lo.bandwidthMbps)) {
    intercept = lo.interceptMs;
    slope = lo.slopeMsPerByte;
  } else if (bandwidthMbps >= hi.bandwidthMbps) {
    intercept = hi.interceptMs;
    slope = hi.slopeMsPerByte;
  } else {
    let j = 1;
    while (lines[j].bandwidthMbps < bandwidthMbps) j++;
    const a = lines[j - 1];
    const b = lines[j];
    const f = (Math.log(bandwidthMbps) - Math.log(a.bandwidthMbps)) / (Math.log(b.bandwidthMbps) - Math.log(a.bandwidthMbps));
    intercept = a.interceptMs + f * (b.interceptMs - a.interceptMs);
    slope = a.slopeMsPerByte + f * (b.slopeMsPerByte - a.slopeMsPerByte);
  }
  return Math.max(0, intercept + slope * bytes);
}

function checkBytes(bytes: number): void {
  if (!Number.isFinite(bytes) || bytes < 0) throw new LatencyInputError(`bytes to send must be a finite number >= 0, got ${bytes}`);
}

/** Eq. 6 at a constant bandwidth, ms. Sending 0 bytes takes 0 ms (no packet, no first-packet delay). */
export function transferMs(bytes: number, bandwidthMbps: number, profile: DeviceProfile): number {
  checkBytes(bytes);
  if (!(bandwidthMbps > 0) || !Number.isFinite(bandwidthMbps)) {
    throw new LatencyInputError(`bandwidth must be a finite number of Mbit/s > 0, got ${bandwidthMbps}`);
  }
  if (bytes === 0) return 0;
  return firstPacketMs(bytes, bandwidthMbps, profile) + (bytes * 8) / (bandwidthMbps * 1e3);
}

/**
 * Seconds to push `bytes` through the trace's step rate starting at `startS`, looping
 * past the end of the trace as mahimahi replays it. Zero-rate steps (outages) only add
 * waiting time. Whole loops are skipped arithmetically, so large sizes are cheap.
 */
export function sendTimeUnderTraceS(bytes: number, trace: BandwidthTrace, startS: number): number {
  checkBytes(bytes);
  if (!Number.isFinite(startS) || startS < 0) throw new LatencyInputError(`start time must be a finite number of seconds >= 0, got ${startS}`);
  const holds = sampleHoldS(trace);
  const durationS = traceDurationS(trace);
  const bytesPerS = trace.mbps.map((m) => (m * 1e6) / 8);
  const loopBytes = holds.reduce((s, h, i) => s + h * bytesPerS[i], 0);
  if (!(loopBytes > 0)) throw new LatencyInputError(`trace "${trace.name}" carries no data (its rate is 0 throughout)`);
  if (bytes === 0) return 0;

  const n = trace.tS.length;
  let pos = startS % durationS;
  let i = sampleIndexAt(trace, pos);
  let remaining = bytes;
  let elapsed = 0;
  let skipped = false;
  // What float rounding may leave unsent after the last byte-carrying step: treat as sent.
  const slack = 1e-9 * loopBytes;
  for (;;) {
    if (remaining <= slack) return elapsed;
    const end = i + 1 < n ? trace.tS[i + 1] : durationS;
    const avail = bytesPerS[i] * (end - pos);
    if (avail >= remaining) return elapsed + remaining / bytesPerS[i];
    remaining -= avail;
    elapsed += end - pos;
    i++;
    pos = end;
    if (i === n) {
      i = 0;
      pos = 0;
      if (!skipped) {
        // At a loop boundary: jump whole loops, leaving a positive remainder to finish in the next loop.
        skipped = true;
        const loops = Math.max(0, Math.ceil(remaining / loopBytes) - 1);
        remaining -= loops * loopBytes;
        elapsed += loops * durationS;
      }
    }
  }
}

/**
 * Eq. 6 under a trace, ms: f(S|W) with W the rate at `startS` (an outage at the start
 * clamps to the profile's lowest line), plus the time the trace takes to carry S bytes
 * from `startS`.
 */
export function transferMsUnderTrace(bytes: number, trace: BandwidthTrace, startS: number, profile: DeviceProfile): number {
  const sendS = sendTimeUnderTraceS(bytes, trace, startS);
  if (bytes === 0) return 0;
  const w = trace.mbps[sampleIndexAt(trace, startS % traceDurationS(trace))];
  return firstPacketMs(bytes, w, profile) + sendS * 1000;
}
