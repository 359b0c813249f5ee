/**
 * A transfer calibration recorded in the store: a run of kind "transfer-calibration"
 * whose samples are written as they arrive (a crash keeps what was measured) and whose
 * result holds the fitted lines and their quality once done.
 */
import type { Database } from 'better-sqlite3';
import { createRun, updateRun } from '../../profiles/run-repository.ts';
import { insertTransferSample } from '../../profiles/transfer-sample-repository.ts';
import { calibrateTransfer, type CalibrateTransferOptions, type TransferCalibration } from './calibrate-transfer.ts';

export const TRANSFER_RUN_KIND = 'transfer-calibration';

export async function calibrateTransferIntoStore(db: Database, opts: CalibrateTransferOptions): Promise<{ runId: string } & TransferCalibration> {
  const run = createRun(db, TRANSFER_RUN_KIND, { bandwidthsMbps: opts.bandwidthsMbps, sizes: opts.sizes, repeats: opts.repeats, ackDelayMs: opts.ackDelayMs ?? 0 });
  updateRun(db, run.id, 'running');
  try {
    const cal = await calibrateTransfer({
      ...opts,
      onProgress: (e) => {
        insertTransferSample(db, run.id, e.sample);
        opts.onProgress?.(e);
      },
    });
    updateRun(db, run.id, 'done', { lines: cal.lines, groups: cal.fit.groups, mapePct: cal.fit.mapePct });
    return { runId: run.id, ...cal };
  } catch (e) {
    updateRun(db, run.id, opts.signal?.aborted ? 'cancelled' : 'failed', { error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}
