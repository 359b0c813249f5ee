/** Opens (creating if needed) the studio database with WAL, foreign keys and the latest schema. */
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { ensureHome } from './home.ts';
import { migrate, schemaVersion, MIGRATIONS, type Migration } from './migrations.ts';
import { SchemaTooNewError } from './errors.ts';

export interface OpenStoreOptions {
  /** Stop at this schema version (tests build old databases this way). */
  targetVersion?: number;
  migrations?: readonly Migration[];
}

export function openStoreFile(path: string, options: OpenStoreOptions = {}): Database {
  const db = new BetterSqlite3(path);
  try {
    const migrations = options.migrations ?? MIGRATIONS;
    const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
    // Check before switching journal mode: a newer database is left byte-for-byte untouched.
    const current = schemaVersion(db);
    if (current > known) throw new SchemaTooNewError(path, current, known);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path, migrations, options.targetVersion);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The store of one studio home: `<home>/studio.db`. */
export function openStore(home: string, options: OpenStoreOptions = {}): Database {
  return openStoreFile(ensureHome(home), options);
}
