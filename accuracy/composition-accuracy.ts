/**
 * The accuracy of a composition named in a file, as `edgetree accuracy --composition`
 * reads it: `{ "variants": ["C1@conv2", ...] }` (variant ids as the catalogue names
 * them) or `{ "variants": [{ "technique": "C1", "layer": "conv2" }, ...] }` (a layer
 * by id or position). Each variant is distilled once or read back from the store; the
 * accuracy comes from the memory pool.
 */
import type { Database } from 'better-sqlite3';
import { isTechniqueId } from '../dnn/compress/registry.ts';
import { TECHNIQUE_IDS } from '../dnn/compress/technique.ts';
import type { LayerRef, TechniqueId } from '../dnn/compress/technique.ts';
import type { ImageDataset } from '../dnn/data/image-dataset.ts';
import { pooledAccuracy } from './accuracy-pool.ts';
import { checkTechniqueFits } from './compress-layer.ts';
import type { BaseModel } from './trained-models.ts';
import { prepareVariants } from './variant-catalog.ts';
import type { CatalogVariant } from './variant-catalog.ts';

export interface CompositionItem {
  technique: TechniqueId;
  layer: LayerRef;
}

export class CompositionFileError extends Error {
  constructor(file: string, what: string) {
    super(`composition ${file}: ${what} (expected {"variants": ["C1@conv2", ...]} or {"variants": [{"technique": "C1", "layer": "conv2"}, ...]})`);
    this.name = 'CompositionFileError';
  }
}

/** The variants a composition document names; `file` only labels errors. */
export function parseComposition(text: string, file: string): CompositionItem[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CompositionFileError(file, `not JSON (${(e as Error).message})`);
  }
  const list = (doc as { variants?: unknown } | null)?.variants;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(list)) throw new CompositionFileError(file, 'no "variants" list');
  return list.map((item, i): CompositionItem => {
    if (typeof item === 'string') {
      const at = item.indexOf('@');
      const technique = item.slice(0, at);
      if (at < 0 || !isTechniqueId(technique) || at === item.length - 1) throw new CompositionFileError(file, `variants[${i}] "${item}" is not TECHNIQUE@LAYER with a technique among ${TECHNIQUE_IDS.join(', ')}`);
      return { technique, layer: item.slice(at + 1) };
    }
    const o = item as { technique?: unknown; layer?: unknown } | null;
    if (typeof o !== 'object' || o === null || !isTechniqueId(o.technique)) throw new CompositionFileError(file, `variants[${i}] has no technique among ${TECHNIQUE_IDS.join(', ')}`);
    if (!(typeof o.layer === 'string' && o.layer !== '') && !(typeof o.layer === 'number' && Number.isInteger(o.layer))) throw new CompositionFileError(file, `variants[${i}] has no layer (an id or a position)`);
    return { technique: o.technique, layer: o.layer };
  });
}

export interface CompositionAccuracyOptions {
  data: ImageDataset;
  train: () => Promise<ImageDataset>;
  distillImages?: number;
  distillEpochs?: number;
}

export interface CompositionAccuracy {
  accuracy: number;
  images: number;
  correct: number;
  cached: boolean;
  /** The variant ids composed, sorted. */
  variants: string[];
}

/** The catalogue variants for the items (distilled once), then the pooled accuracy of base + them. */
export async function compositionVariants(db: Database, base: BaseModel, items: readonly CompositionItem[], o: Omit<CompositionAccuracyOptions, 'data'>): Promise<CatalogVariant[]> {
  const out: CatalogVariant[] = [];
  for (const item of items) {
    const index = checkTechniqueFits(base, item.technique, item.layer);
    const [v] = await prepareVariants(db, base, { techniques: [item.technique], layers: [index], images: o.distillImages, epochs: o.distillEpochs, train: o.train });
    if (out.some((w) => w.key === v.key)) continue;
    out.push(v);
  }
  return out;
}

export async function compositionAccuracy(db: Database, base: BaseModel, items: readonly CompositionItem[], o: CompositionAccuracyOptions): Promise<CompositionAccuracy> {
  const variants = await compositionVariants(db, base, items, o);
  const r = pooledAccuracy(db, base, variants, o.data);
  return { accuracy: r.accuracy, images: r.images, correct: r.correct, cached: r.cached, variants: variants.map((v) => v.info.id).sort() };
}
