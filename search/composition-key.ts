import type { Composition } from './problem.ts';

/**
 * The canonical key of a composition in the memory pool: the cut and the sorted variant
 * ids, e.g. "12|C1@conv3,F1@fc1". Two compositions with the same key are the same model.
 */
export function compositionKey(c: Composition): string {
  return `${c.cut}|${[...c.variantIds].sort().join(',')}`;
}

/** The key under which accuracy is pooled: the variant set only (the cut does not change accuracy). */
export function accuracyKey(variantIds: readonly string[]): string {
  return [...variantIds].sort().join(',');
}
