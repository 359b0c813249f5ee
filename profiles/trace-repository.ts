/** The traces table: imported bandwidth traces with their statistics and samples. */
import type { Database } from 'better-sqlite3';
import { toFloat64Blob, fromFloat64Blob } from './float-blob.ts';
import { NotFoundError } from './errors.ts';

export interface TraceStatsColumns {
  samples: number;
  durationS: number;
  meanMbps: number;
  minMbps: number;
  maxMbps: number;
  p25Mbps: number;
  p50Mbps: number;
  p75Mbps: number;
}

export interface NewTrace {
  name: string;
  format: string;
  sourceFile: string;
  stats: TraceStatsColumns;
  tS: readonly number[];
  mbps: readonly number[];
  /** Where the last sample ends, seconds, when the format says. */
  endS?: number;
}

export interface StoredTraceRow extends TraceStatsColumns {
  id: string;
  name: string;
  format: string;
  sourceFile: string;
  importedAt: string;
}

export interface StoredTrace extends StoredTraceRow {
  tS: number[];
  mbps: number[];
  endS?: number;
}

interface Row {
  id: number; name: string; format: string; source_file: string; imported_at: string;
  samples: number; duration_s: number; mean_mbps: number; min_mbps: number; max_mbps: number;
  p25_mbps: number; p50_mbps: number; p75_mbps: number;
}

const SUMMARY_COLUMNS =
  'id, name, format, source_file, imported_at, samples, duration_s, mean_mbps, min_mbps, max_mbps, p25_mbps, p50_mbps, p75_mbps';

function fromRow(r: Row): StoredTraceRow {
  return {
    id: String(r.id), name: r.name, format: r.format, sourceFile: r.source_file, importedAt: r.imported_at,
    samples: r.samples, durationS: r.duration_s, meanMbps: r.mean_mbps, minMbps: r.min_mbps, maxMbps: r.max_mbps,
    p25Mbps: r.p25_mbps, p50Mbps: r.p50_mbps, p75Mbps: r.p75_mbps,
  };
}

export function insertTrace(db: Database, t: NewTrace, importedAt = new Date().toISOString()): StoredTraceRow {
  const s = t.stats;
  const info = db.prepare(`INSERT INTO traces (name, format, source_file, imported_at, samples, duration_s, mean_mbps,
      min_mbps, max_mbps, p25_mbps, p50_mbps, p75_mbps, t_s, mbps, end_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(t.name, t.format, t.sourceFile, importedAt, s.samples, s.durationS, s.meanMbps, s.minMbps, s.maxMbps,
      s.p25Mbps, s.p50Mbps, s.p75Mbps, toFloat64Blob(t.tS), toFloat64Blob(t.mbps), t.endS ?? null);
  return getTraceSummary(db, String(info.lastInsertRowid));
}

export function listTraces(db: Database): StoredTraceRow[] {
  return (db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM traces ORDER BY id`).all() as Row[]).map(fromRow);
}

export function getTraceSummary(db: Database, id: string): StoredTraceRow {
  const row = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM traces WHERE id = ?`).get(id) as Row | undefined;
  if (!row) throw new NotFoundError('trace', id);
  return fromRow(row);
}

export function getTrace(db: Database, id: string): StoredTrace {
  const row = db.prepare(`SELECT ${SUMMARY_COLUMNS}, t_s, mbps, end_s FROM traces WHERE id = ?`).get(id) as
    (Row & { t_s: Buffer; mbps: Buffer; end_s: number | null }) | undefined;
  if (!row) throw new NotFoundError('trace', id);
  const trace: StoredTrace = { ...fromRow(row), tS: fromFloat64Blob(row.t_s), mbps: fromFloat64Blob(row.mbps) };
  if (row.end_s !== null) trace.endS = row.end_s;
  return trace;
}
