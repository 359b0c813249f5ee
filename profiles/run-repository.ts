/** The runs table: long jobs (calibration, search, deploy) with their parameters and results. */
import type { Database } from 'better-sqlite3';
import { NotFoundError } from './errors.ts';

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface StoredRun {
  id: string;
  kind: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  params: unknown;
  result: unknown;
}

interface Row { id: number; kind: string; status: RunStatus; created_at: string; updated_at: string; params: string; result: string | null }

function fromRow(r: Row): StoredRun {
  return {
    id: String(r.id), kind: r.kind, status: r.status, createdAt: r.created_at, updatedAt: r.updated_at,
    params: JSON.parse(r.params) as unknown, result: r.result === null ? null : (JSON.parse(r.result) as unknown),
  };
}

export function createRun(db: Database, kind: string, params: unknown, now = new Date().toISOString()): StoredRun {
  const info = db.prepare("INSERT INTO runs (kind, status, created_at, updated_at, params) VALUES (?, 'queued', ?, ?, ?)")
    .run(kind, now, now, JSON.stringify(params ?? {}));
  return getRun(db, String(info.lastInsertRowid));
}

export function updateRun(db: Database, id: string, status: RunStatus, result?: unknown, now = new Date().toISOString()): StoredRun {
  const info = db.prepare('UPDATE runs SET status = ?, updated_at = ?, result = COALESCE(?, result) WHERE id = ?')
    .run(status, now, result === undefined ? null : JSON.stringify(result), id);
  if (info.changes === 0) throw new NotFoundError('run', id);
  return getRun(db, id);
}

export function getRun(db: Database, id: string): StoredRun {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
  if (!row) throw new NotFoundError('run', id);
  return fromRow(row);
}

export function listRuns(db: Database): StoredRun[] {
  return (db.prepare('SELECT * FROM runs ORDER BY id').all() as Row[]).map(fromRow);
}
