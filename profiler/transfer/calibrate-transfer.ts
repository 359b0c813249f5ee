/**
 * Transfer calibration over a shaped link on this machine (paper Eq. 6): the device
 * side runs in a network namespace, its uploads to the studio pass a tbf shaped to each
 * bandwidth W in turn, and the timings are fitted into f(S|W) lines. Needs root; without
 * it the first step fails with ShapedLinkPermissionError. The namespace is removed when
 * the calibration ends, fails or is aborted.
 */
import { fitTransferLines, type TransferFit, type TransferTiming } from '../../latency/fit/fit-transfer.ts';
import type { TransferLine } from '../../latency/device-profile.ts';
import { createShapedLink } from './shaped-link.ts';
import { startUploadReceiver } from './upload-receiver.ts';
import { startSenderProcess } from './sender-process.ts';
import { TransferRunError } from './errors.ts';
import type { TransferSample } from './transfer-sample.ts';

export interface TransferProgressEvent {
  done: number;
  total: number;
  sample: TransferSample;
}

export interface CalibrateTransferOptions {
  bandwidthsMbps: number[];
  /** Upload sizes in bytes (e.g. 1 KiB to 8 MiB). */
  sizes: number[];
  /** Uploads per (bandwidth, size); sizes are interleaved within each repeat. */
  repeats: number;
  /** Called after each upload, e.g. to store the sample as it arrives. */
  onProgress?: (e: TransferProgressEvent) => void;
  signal?: AbortSignal;
  /** Held back by the receiver before each acknowledgement, to emulate propagation delay (no netem here). */
  ackDelayMs?: number;
}

export interface TransferCalibration {
  samples: TransferSample[];
  lines: TransferLine[];
  /** Fitted on the median time of each (W, S) over the repeats. */
  fit: TransferFit;
}

function check(opts: CalibrateTransferOptions): void {
  const bad = (what: string) => { throw new TransferRunError(`transfer calibration: ${what}`); };
  if (opts.bandwidthsMbps.length === 0) bad('no bandwidths given');
  for (const w of opts.bandwidthsMbps) if (!(w > 0) || !Number.isFinite(w)) bad(`bandwidth ${w} Mbit/s must be a finite number > 0`);
  if (new Set(opts.sizes).size < 2) bad(`at least 2 distinct sizes are needed to fit f(S|W), got ${opts.sizes.join(', ')}`);
  for (const s of opts.sizes) if (!Number.isInteger(s) || s <= 0) bad(`size ${s} must be a whole number of bytes > 0`);
  if (!Number.isInteger(opts.repeats) || opts.repeats < 1) bad(`repeats must be a whole number >= 1, got ${opts.repeats}`);
}

/**
 * The median time of each (W, S) over its repeats: what the lines are fitted on, so that
 * an upload held up by the scheduler of a busy machine does not tilt a line.
 */
export function medianTimings(samples: readonly TransferSample[]): TransferTiming[] {
  const groups = new Map<string, TransferSample[]>();
  for (const s of samples) {
    const key = `${s.bandwidthMbps}/${s.bytes}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((g) => {
    const ms = g.map((s) => s.ms).sort((a, b) => a - b);
    const m = ms.length >> 1;
    return { bandwidthMbps: g[0].bandwidthMbps, bytes: g[0].bytes, ms: ms.length % 2 === 1 ? ms[m] : (ms[m - 1] + ms[m]) / 2 };
  });
}

export async function calibrateTransfer(opts: CalibrateTransferOptions): Promise<TransferCalibration> {
  check(opts);
  const link = await createShapedLink();
  try {
    const receiver = await startUploadReceiver({ host: link.hostAddress, ackDelayMs: opts.ackDelayMs });
    const sender = startSenderProcess(['ip', 'netns', 'exec', link.namespace], receiver.host, receiver.port);
    try {
      const samples: TransferSample[] = [];
      const total = opts.bandwidthsMbps.length * opts.sizes.length * opts.repeats;
      for (const w of opts.bandwidthsMbps) {
        await link.setRate(w);
        // One untimed upload after each reshaping, so the first timed one meets a settled queue.
        await sender.upload(Math.min(...opts.sizes));
        for (let r = 0; r < opts.repeats; r++) {
          for (const bytes of opts.sizes) {
            if (opts.signal?.aborted) throw new TransferRunError(`transfer calibration cancelled after ${samples.length} of ${total} uploads`);
            const ms = await sender.upload(bytes);
            const sample: TransferSample = { bandwidthMbps: w, bytes, ms, repeat: r, link: 'netns-tbf', measuredAt: new Date().toISOString() };
            samples.push(sample);
            opts.onProgress?.({ done: samples.length, total, sample });
          }
        }
      }
      const fit = fitTransferLines(medianTimings(samples));
      return { samples, lines: fit.lines, fit };
    } finally {
      await sender.close();
      await receiver.close();
    }
  } finally {
    await link.close();
  }
}
