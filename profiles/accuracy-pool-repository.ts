/** The accuracy_pool table: the memory pool of evaluated compositions (paper Sec. VI). */
import type { Database } from 'better-sqlite3';

export interface PooledAccuracy {
  key: string;
  model: string;
  dataset: string;
  weightsId: string;
  composition: unknown;
  split: string;
  images: number;
  correct: number;
  accuracy: number;
  evalMs: number;
  createdAt: string;
}

interface Row {
  key: string; model: string; dataset: string; weights_id: string; composition_json: string; split: string;
  images: number; correct: number; accuracy: number; eval_ms: number; created_at: string;
}

export function getPooledAccuracy(db: Database, key: string): PooledAccuracy | undefined {
  const r = db.prepare('SELECT * FROM accuracy_pool WHERE key = ?').get(key) as Row | undefined;
  if (r === undefined) return undefined;
  return {
    key: r.key, model: r.model, dataset: r.dataset, weightsId: r.weights_id, composition: JSON.parse(r.composition_json) as unknown,
    split: r.split, images: r.images, correct: r.correct, accuracy: r.accuracy, evalMs: r.eval_ms, createdAt: r.created_at,
  };
}

export function savePooledAccuracy(db: Database, p: Omit<PooledAccuracy, 'createdAt'>, now = new Date().toISOString()): void {
  db.prepare(`INSERT OR REPLACE INTO accuracy_pool (key, model, dataset, weights_id, composition_json, split, images, correct, accuracy, eval_ms, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(p.key, p.model, p.dataset, p.weightsId, JSON.stringify(p.composition), p.split, p.images, p.correct, p.accuracy, p.evalMs, now);
}

export function countPooledAccuracies(db: Database, model: string, dataset: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM accuracy_pool WHERE model = ? AND dataset = ?').get(model, dataset) as { n: number }).n;
}
