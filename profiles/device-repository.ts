/** The devices table: phones (adb), boards (ssh) and this computer (local). */
import type { Database } from 'better-sqlite3';
import { NotFoundError, StoreConflictError } from './errors.ts';

export type DeviceKind = 'adb' | 'ssh' | 'local';
export const DEVICE_KINDS: readonly DeviceKind[] = ['adb', 'ssh', 'local'];

export interface StoredDevice {
  id: string;
  name: string;
  kind: DeviceKind;
  info: Record<string, unknown>;
  createdAt: string;
}

interface Row { id: string; name: string; kind: DeviceKind; info: string; created_at: string }

function fromRow(r: Row): StoredDevice {
  return { id: r.id, name: r.name, kind: r.kind, info: JSON.parse(r.info) as Record<string, unknown>, createdAt: r.created_at };
}

export function findDevice(db: Database, id: string): StoredDevice | null {
  const row = db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function getDevice(db: Database, id: string): StoredDevice {
  const d = findDevice(db, id);
  if (!d) throw new NotFoundError('device', id);
  return d;
}

export function listDevices(db: Database): StoredDevice[] {
  return (db.prepare('SELECT * FROM devices ORDER BY id').all() as Row[]).map(fromRow);
}

/** Inserts the device, or updates its name and info when the id exists (the kind must not change). */
export function upsertDevice(db: Database, d: Omit<StoredDevice, 'createdAt'>, now = new Date().toISOString()): StoredDevice {
  if (!DEVICE_KINDS.includes(d.kind)) throw new StoreConflictError(`device "${d.id}": kind "${String(d.kind)}" is not one of ${DEVICE_KINDS.join(', ')}`);
  const existing = findDevice(db, d.id);
  if (existing && existing.kind !== d.kind) {
    throw new StoreConflictError(`device "${d.id}" is stored as kind "${existing.kind}", not "${d.kind}"`);
  }
  if (existing) db.prepare('UPDATE devices SET name = ?, info = ? WHERE id = ?').run(d.name, JSON.stringify(d.info), d.id);
  else db.prepare('INSERT INTO devices (id, name, kind, info, created_at) VALUES (?, ?, ?, ?, ?)').run(d.id, d.name, d.kind, JSON.stringify(d.info), now);
  return getDevice(db, d.id);
}
