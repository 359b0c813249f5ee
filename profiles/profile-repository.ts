/**
 * The profiles table: device latency profiles, versioned and never overwritten.
 * Saving a profile for a device and name that exist adds version N+1.
 */
import type { Database } from 'better-sqlite3';
import { NotFoundError } from './errors.ts';

export interface StoredProfileRow {
  id: string;
  deviceId: string;
  name: string;
  version: number;
  createdAt: string;
}

export interface StoredProfile extends StoredProfileRow {
  /** The profile document as saved (serialised JSON text). */
  json: string;
}

interface Row { id: number; device_id: string; name: string; version: number; created_at: string; json: string }

function fromRow(r: Row): StoredProfile {
  return { id: String(r.id), deviceId: r.device_id, name: r.name, version: r.version, createdAt: r.created_at, json: r.json };
}

function summary(p: StoredProfile): StoredProfileRow {
  return { id: p.id, deviceId: p.deviceId, name: p.name, version: p.version, createdAt: p.createdAt };
}

/** Adds the next version for (deviceId, name); call inside a transaction with the device upsert. */
export function insertProfileVersion(db: Database, deviceId: string, name: string, json: string, now = new Date().toISOString()): StoredProfileRow {
  const row = db.prepare('SELECT MAX(version) AS v FROM profiles WHERE device_id = ? AND name = ?').get(deviceId, name) as { v: number | null };
  const version = (row.v ?? 0) + 1;
  const info = db.prepare('INSERT INTO profiles (device_id, name, version, created_at, json) VALUES (?, ?, ?, ?, ?)')
    .run(deviceId, name, version, now, json);
  return summary(getProfile(db, String(info.lastInsertRowid)));
}

export function getProfile(db: Database, id: string): StoredProfile {
  const row = db.prepare('SELECT * FROM profiles WHERE id = ?').get(id) as Row | undefined;
  if (!row) throw new NotFoundError('profile', id);
  return fromRow(row);
}

export function listProfiles(db: Database): StoredProfileRow[] {
  return (db.prepare('SELECT * FROM profiles ORDER BY device_id, name, version').all() as Row[]).map((r) => summary(fromRow(r)));
}
