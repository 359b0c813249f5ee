/** The models table: model specs the user imported (spec JSON, TF.js, ONNX), stored as spec JSON. */
import type { Database } from 'better-sqlite3';
import { NotFoundError, StoreConflictError } from './errors.ts';

export interface StoredModel {
  id: string;
  name: string;
  format: string;
  sourceFile: string;
  /** The studio's spec JSON text. */
  spec: string;
  importedAt: string;
}

interface Row { id: number; name: string; format: string; source_file: string; spec: string; imported_at: string }

function fromRow(r: Row): StoredModel {
  return { id: String(r.id), name: r.name, format: r.format, sourceFile: r.source_file, spec: r.spec, importedAt: r.imported_at };
}

export function insertModel(db: Database, m: Omit<StoredModel, 'id' | 'importedAt'>, now = new Date().toISOString()): StoredModel {
  if (findModel(db, m.name)) throw new StoreConflictError(`a model named "${m.name}" is already imported (from ${m.sourceFile}); rename the model to import it again`);
  const info = db.prepare('INSERT INTO models (name, format, source_file, spec, imported_at) VALUES (?, ?, ?, ?, ?)')
    .run(m.name, m.format, m.sourceFile, m.spec, now);
  const row = db.prepare('SELECT * FROM models WHERE id = ?').get(info.lastInsertRowid) as Row;
  return fromRow(row);
}

export function findModel(db: Database, name: string): StoredModel | null {
  const row = db.prepare('SELECT * FROM models WHERE name = ?').get(name) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function getModel(db: Database, name: string): StoredModel {
  const m = findModel(db, name);
  if (!m) throw new NotFoundError('model', name);
  return m;
}

export function listModels(db: Database): StoredModel[] {
  return (db.prepare('SELECT * FROM models ORDER BY name').all() as Row[]).map(fromRow);
}
