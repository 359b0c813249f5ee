import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openStore, openStoreFile } from './open-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, schemaVersion } from './migrations.ts';
import { SchemaTooNewError } from './errors.ts';
import { upsertDevice } from './device-repository.ts';
import { insertProfileVersion, listProfiles } from './profile-repository.ts';
import { insertTrace, getTrace, listTraces } from './trace-repository.ts';
import { toFloat64Blob } from './float-blob.ts';
import { insertModel, listModels } from './model-repository.ts';

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'edgetree-store-'));
}

describe('store migrations', () => {
  test('a fresh database reaches the latest version, WAL and foreign keys on', () => {
    const home = tempHome();
    try {
      const db = openStore(home);
      assert.equal(schemaVersion(db), LATEST_SCHEMA_VERSION);
      assert.equal(LATEST_SCHEMA_VERSION, MIGRATIONS.length);
      const applied = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
      assert.deepEqual(applied.map((r) => r.version), MIGRATIONS.map((m) => m.version));
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      for (const t of ['devices', 'profiles', 'traces', 'runs', 'models']) assert.ok(tables.includes(t), `table ${t}`);
      // A profile must name a stored device.
      assert.throws(() => insertProfileVersion(db, 'no-such-device', 'p', '{}'), /FOREIGN KEY/);
      db.close();
      // Opening again applies nothing new.
      const again = openStore(home);
      assert.equal((again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n, MIGRATIONS.length);
      again.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('a version-1 database with data migrates to the latest and keeps its data', () => {
    const home = tempHome();
    try {
      const v1 = openStore(home, { targetVersion: 1 });
      assert.equal(schemaVersion(v1), 1);
      assert.equal(v1.prepare("SELECT name FROM sqlite_master WHERE name = 'models'").get(), undefined);
      upsertDevice(v1, { id: 'pixel-4a', name: 'Pixel 4a', kind: 'adb', info: { abi: 'arm64-v8a' } });
      insertProfileVersion(v1, 'pixel-4a', 'cpu', '{"x":1}');
      // Written with version 1's columns, as an EdgeTree of that schema would have.
      v1.prepare(`INSERT INTO traces (name, format, source_file, imported_at, samples, duration_s, mean_mbps, min_mbps,
          max_mbps, p25_mbps, p50_mbps, p75_mbps, t_s, mbps) VALUES ('two', 'time-mbps', 'two.txt', '2025-01-01T00:00:00Z',
          2, 2, 1.5, 1, 2, 1, 1, 2, ?, ?)`).run(toFloat64Blob([0, 1]), toFloat64Blob([1, 2]));
      v1.close();

      const db = openStore(home);
      assert.equal(schemaVersion(db), LATEST_SCHEMA_VERSION);
      const profiles = listProfiles(db);
      assert.equal(profiles.length, 1);
      assert.equal(profiles[0].deviceId, 'pixel-4a');
      assert.equal(profiles[0].version, 1);
      assert.deepEqual(listTraces(db).map((t) => [t.name, t.samples, t.meanMbps]), [['two', 2, 1.5]]);
      const trace = getTrace(db, '1');
      assert.deepEqual(trace.tS, [0, 1]);
      assert.deepEqual(trace.mbps, [1, 2]);
      // Version 3's column: NULL for the old row, kept for a new one.
      assert.equal(trace.endS, undefined);
      insertTrace(db, {
        name: 'mm', format: 'mahimahi', sourceFile: 'mm.down',
        stats: { samples: 1, durationS: 0.5, meanMbps: 24, minMbps: 24, maxMbps: 24, p25Mbps: 24, p50Mbps: 24, p75Mbps: 24 },
        tS: [0], mbps: [24], endS: 0.5,
      });
      assert.equal(getTrace(db, '2').endS, 0.5);
      // The table added by version 2 works.
      insertModel(db, { name: 'tiny', format: 'spec-json', sourceFile: 'tiny.json', spec: '{}' });
      assert.deepEqual(listModels(db).map((m) => m.name), ['tiny']);
      db.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('a database from a newer schema is refused and left untouched', () => {
    const home = tempHome();
    try {
      const db = openStore(home);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'from the future', '2030-01-01T00:00:00Z');
      db.close();
      const path = join(home, 'studio.db');
      const before = readFileSync(path);
      assert.throws(() => openStoreFile(path), (err: unknown) => {
        assert.ok(err instanceof SchemaTooNewError);
        assert.match(err.message, new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 1}`));
        assert.match(err.message, /studio\.db/);
        return true;
      });
      assert.deepEqual(readFileSync(path), before);
      const raw = new BetterSqlite3(path, { readonly: true });
      assert.equal(schemaVersion(raw), LATEST_SCHEMA_VERSION + 1);
      raw.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
