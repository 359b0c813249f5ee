/**
 * The link part of calibrating this computer: timed uploads over a tbf-shaped veth into a
 * network namespace at a few bandwidths (needs root for `ip netns` and `tc`), fitted as
 * paper Eq. 6 lines f(S|W). Kept under ~15 s here: 3 bandwidths, 3 sizes, 3 repeats.
 * Where the link cannot be made, the profile keeps `transfer: []` and the note says why.
 */
import type { Database } from 'better-sqlite3';
import type { TransferFitDto } from '../api/calibration-api.ts';
import type { TransferLine } from '../latency/device-profile.ts';
import { calibrateTransferIntoStore } from '../profiler/transfer/stored-transfer-calibration.ts';
import type { LiveJob } from './job-registry.ts';

export const LINK_BANDWIDTHS_MBPS = [4, 16, 64];
export const LINK_SIZES_BYTES = [16 * 1024, 128 * 1024, 1024 * 1024];
const LINK_REPEATS = 3;

export interface LinkCalibration {
  lines: TransferLine[];
  fit?: TransferFitDto[];
  runId?: string;
  /** What the status says about the transfer lines. */
  note: string;
}

export async function calibrateLocalLink(db: Database, job: LiveJob): Promise<LinkCalibration> {
  job.current = null;
  job.message = `timing uploads over a shaped link at ${LINK_BANDWIDTHS_MBPS.join(', ')} Mbit/s`;
  try {
    const cal = await calibrateTransferIntoStore(db, {
      bandwidthsMbps: LINK_BANDWIDTHS_MBPS, sizes: LINK_SIZES_BYTES, repeats: LINK_REPEATS, signal: job.controller.signal,
      onProgress: (e) => {
        job.current = `upload ${e.sample.bytes} B at ${e.sample.bandwidthMbps} Mbit/s`;
        job.message = `link: ${e.done} of ${e.total} uploads`;
      },
    });
    const fit = cal.fit.groups.map((g) => ({ bandwidthMbps: g.bandwidthMbps, points: g.points, interceptMs: g.interceptMs, slopeMsPerByte: g.slopeMsPerByte, r2: g.r2, mapePct: g.mapePct }));
    return { lines: cal.lines, fit, runId: cal.runId, note: `transfer: ${cal.lines.length} f(S|W) lines at ${LINK_BANDWIDTHS_MBPS.join(', ')} Mbit/s (transfer run ${cal.runId}, MAPE ${cal.fit.mapePct.toFixed(1)}%)` };
  } catch (e) {
    // A cancel stops the whole calibration; anything else only leaves the link uncalibrated.
    if (job.controller.signal.aborted) throw e;
    return { lines: [], note: `transfer: [] — the link was not calibrated: ${(e as Error).message}` };
  }
}
