/** The variants table: each pluggable compressed block, distilled once, with its spec, weights and training record. */
import type { Database } from 'better-sqlite3';

export interface StoredVariant {
  /** Hash of base weights, technique, layer and parameters. */
  key: string;
  model: string;
  dataset: string;
  weightsId: string;
  technique: string;
  layerIndex: number;
  params: Record<string, unknown>;
  /** The search's VariantInfo (id, technique, range, layers) as JSON-safe data. */
  info: unknown;
  /** dnn/tfjs/weight-codec.ts bytes. */
  weights: Uint8Array;
  record: Record<string, unknown>;
  createdAt: string;
}

interface Row {
  id: string; model: string; dataset: string; weights_id: string; technique: string; layer_index: number;
  params_json: string; info_json: string; weights: Buffer; record_json: string; created_at: string;
}

function fromRow(r: Row): StoredVariant {
  return {
    key: r.id, model: r.model, dataset: r.dataset, weightsId: r.weights_id, technique: r.technique, layerIndex: r.layer_index,
    params: JSON.parse(r.params_json) as Record<string, unknown>, info: JSON.parse(r.info_json) as unknown,
    weights: new Uint8Array(r.weights), record: JSON.parse(r.record_json) as Record<string, unknown>, createdAt: r.created_at,
  };
}

export function saveVariant(db: Database, v: Omit<StoredVariant, 'createdAt'>, now = new Date().toISOString()): void {
  db.prepare(`INSERT OR REPLACE INTO variants (id, model, dataset, weights_id, technique, layer_index, params_json, info_json, weights, record_json, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(v.key, v.model, v.dataset, v.weightsId, v.technique, v.layerIndex, JSON.stringify(v.params), JSON.stringify(v.info), Buffer.from(v.weights), JSON.stringify(v.record), now);
}

export function getVariant(db: Database, key: string): StoredVariant | undefined {
  const row = db.prepare('SELECT * FROM variants WHERE id = ?').get(key) as Row | undefined;
  return row === undefined ? undefined : fromRow(row);
}

export function listVariants(db: Database, model: string, dataset: string, weightsId: string): StoredVariant[] {
  return (db.prepare('SELECT * FROM variants WHERE model = ? AND dataset = ? AND weights_id = ? ORDER BY layer_index, technique').all(model, dataset, weightsId) as Row[]).map(fromRow);
}
