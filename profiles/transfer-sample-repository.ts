/** The transfer_samples table: timed uploads of a transfer calibration run, stored as they arrive. */
import type { Database } from 'better-sqlite3';
import type { TransferSample } from '../profiler/transfer/transfer-sample.ts';
import { StoreConflictError } from './errors.ts';

interface Row { bandwidth_mbps: number; bytes: number; ms: number; repeat: number; link: string; measured_at: string }

export function insertTransferSample(db: Database, runId: string, s: TransferSample): void {
  try {
    db.prepare('INSERT INTO transfer_samples (run_id, bandwidth_mbps, bytes, ms, repeat, link, measured_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(runId, s.bandwidthMbps, s.bytes, s.ms, s.repeat, s.link, s.measuredAt);
  } catch (e) {
    const msg = (e as Error).message;
    if (/FOREIGN KEY/.test(msg)) throw new StoreConflictError(`run ${runId}: no such run to store a transfer sample under`);
    if (/CHECK/.test(msg)) throw new StoreConflictError(`run ${runId}: transfer sample of ${s.bytes} bytes at ${s.bandwidthMbps} Mbit/s taking ${s.ms} ms is out of range`);
    throw e;
  }
}

/** The run's samples in the order they arrived. */
export function listTransferSamples(db: Database, runId: string): TransferSample[] {
  const rows = db.prepare('SELECT * FROM transfer_samples WHERE run_id = ? ORDER BY id').all(runId) as Row[];
  return rows.map((r) => ({ bandwidthMbps: r.bandwidth_mbps, bytes: r.bytes, ms: r.ms, repeat: r.repeat, link: r.link, measuredAt: r.measured_at }));
}
