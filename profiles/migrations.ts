/**
 * Versioned schema migrations. Each runs in its own transaction and is recorded in
 * schema_migrations; a database from a newer schema is refused before any write.
 * Never edit a released migration: append a new one.
 */
import type { Database } from 'better-sqlite3';
import { SchemaTooNewError } from './errors.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'devices, profiles, traces, runs',
    up(db) {
      db.exec(`
        CREATE TABLE devices (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('adb', 'ssh', 'local')),
          info TEXT NOT NULL DEFAULT '{}',
          created_at TEXT NOT NULL
        );
        CREATE TABLE profiles (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          device_id TEXT NOT NULL REFERENCES devices(id),
          name TEXT NOT NULL,
          version INTEGER NOT NULL CHECK (version >= 1),
          created_at TEXT NOT NULL,
          json TEXT NOT NULL,
          UNIQUE (device_id, name, version)
        );
        CREATE TABLE traces (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          format TEXT NOT NULL,
          source_file TEXT NOT NULL,
          imported_at TEXT NOT NULL,
          samples INTEGER NOT NULL,
          duration_s REAL NOT NULL,
          mean_mbps REAL NOT NULL,
          min_mbps REAL NOT NULL,
          max_mbps REAL NOT NULL,
          p25_mbps REAL NOT NULL,
          p50_mbps REAL NOT NULL,
          p75_mbps REAL NOT NULL,
          t_s BLOB NOT NULL,
          mbps BLOB NOT NULL
        );
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          kind TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          params TEXT NOT NULL DEFAULT '{}',
          result TEXT
        );
      `);
    },
  },
  {
    version: 2,
    name: 'imported models',
    up(db) {
      db.exec(`
        CREATE TABLE models (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL UNIQUE,
          format TEXT NOT NULL,
          source_file TEXT NOT NULL,
          spec TEXT NOT NULL,
          imported_at TEXT NOT NULL
        );
        CREATE INDEX profiles_by_device ON profiles (device_id, name);
      `);
    },
  },
  {
    version: 3,
    name: 'trace end time',
    up(db) {
      // Where the last sample stops holding (mahimahi knows it); NULL: the trace's median interval.
      db.exec('ALTER TABLE traces ADD COLUMN end_s REAL');
    },
  },
  {
    version: 4,
    name: 'measurements',
    up(db) {
      // One row per timed case of a run, written as it arrives; UNIQUE lets a resumed run skip what it has.
      db.exec(`
        CREATE TABLE measurements (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          run_id INTEGER NOT NULL REFERENCES runs(id),
          case_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          kernel INTEGER,
          macc REAL NOT NULL,
          median_ms REAL NOT NULL,
          p25_ms REAL NOT NULL,
          p75_ms REAL NOT NULL,
          min_ms REAL NOT NULL,
          max_ms REAL NOT NULL,
          repeats INTEGER NOT NULL,
          runner TEXT NOT NULL,
          backend TEXT NOT NULL,
          measured_at TEXT NOT NULL,
          UNIQUE (run_id, case_id)
        );
      `);
    },
  },
  {
    version: 5,
    name: 'transfer samples',
    up(db) {
      // One timed upload of a transfer calibration run (paper Eq. 6): S bytes at a shaped bandwidth W.
      db.exec(`
        CREATE TABLE transfer_samples (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          run_id INTEGER NOT NULL REFERENCES runs(id),
          bandwidth_mbps REAL NOT NULL CHECK (bandwidth_mbps > 0),
          bytes INTEGER NOT NULL CHECK (bytes > 0),
          ms REAL NOT NULL CHECK (ms >= 0),
          repeat INTEGER NOT NULL,
          link TEXT NOT NULL,
          measured_at TEXT NOT NULL
        );
        CREATE INDEX transfer_samples_by_run ON transfer_samples (run_id, bandwidth_mbps, bytes);
      `);
    },
  },
  {
    version: 6,
    name: 'pluggable variants and accuracy pool',
    up(db) {
      // variants: each compressed block distilled once (issue 4 item 5), keyed by a hash of
      // base weights, technique, layer and parameters. accuracy_pool: the memory pool of
      // evaluated compositions, keyed by a hash of base weights, variant ids, split and images.
      db.exec(`
        CREATE TABLE variants (
          id TEXT PRIMARY KEY,
          model TEXT NOT NULL,
          dataset TEXT NOT NULL,
          weights_id TEXT NOT NULL,
          technique TEXT NOT NULL,
          layer_index INTEGER NOT NULL,
          params_json TEXT NOT NULL,
          info_json TEXT NOT NULL,
          weights BLOB NOT NULL,
          record_json TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE INDEX variants_by_base ON variants (model, dataset, weights_id);
        CREATE TABLE accuracy_pool (
          key TEXT PRIMARY KEY,
          model TEXT NOT NULL,
          dataset TEXT NOT NULL,
          weights_id TEXT NOT NULL,
          composition_json TEXT NOT NULL,
          split TEXT NOT NULL,
          images INTEGER NOT NULL,
          correct INTEGER NOT NULL,
          accuracy REAL NOT NULL,
          eval_ms REAL NOT NULL,
          created_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 7,
    name: 'speed reference per measurement',
    up(db) {
      // The speed reference's median timed beside each case (profiler/runner/speed-reference.ts); NULL where none was.
      db.exec('ALTER TABLE measurements ADD COLUMN reference_ms REAL');
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The highest applied version, 0 for a fresh database. Reads only. */
export function schemaVersion(db: Database): number {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Brings the database to `target` (default: the latest), one transaction per migration.
 * Throws SchemaTooNewError, writing nothing, when the database is ahead of the code.
 */
export function migrate(db: Database, path: string, migrations: readonly Migration[] = MIGRATIONS, target?: number): number {
  const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const goal = target ?? known;
  const current = schemaVersion(db);
  if (current > known) throw new SchemaTooNewError(path, current, known);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  for (const m of migrations) {
    if (m.version <= current || m.version > goal) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
  }
  return schemaVersion(db);
}
