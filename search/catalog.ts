/**
 * Checks of the variant catalogue against the base model and of a composition against
 * both: what the search may assume afterwards (ranges inside the model, internal tensors
 * of a replaced range not read from outside it, variants on the device side only, no
 * overlap, no cut strictly inside a variant).
 */
import type { ModelAnalysis } from '../dnn/spec/analyze.ts';
import { MODEL_INPUT_ID } from '../dnn/spec/analyze.ts';
import { SearchInputError } from './problem.ts';
import type { Composition, VariantInfo } from './problem.ts';

/** The catalogue by id, after checking every variant against the analysed base. */
export function indexCatalog(base: ModelAnalysis, catalog: readonly VariantInfo[]): Map<string, VariantInfo> {
  const name = base.spec.name;
  const L = base.layers.length;
  const byId = new Map<string, VariantInfo>();
  const position = new Map(base.layers.map((l) => [l.layer.id, l.index]));
  for (const v of catalog) {
    const where = `variant "${v.id}" of model "${name}"`;
    if (typeof v.id !== 'string' || v.id.length === 0) throw new SearchInputError(`a variant of model "${name}" has no id`);
    if (byId.has(v.id)) throw new SearchInputError(`${where}: the id is used twice in the catalogue`);
    if (!Number.isInteger(v.firstLayer) || !Number.isInteger(v.lastLayer) || v.firstLayer < 0 || v.lastLayer >= L || v.firstLayer > v.lastLayer) {
      throw new SearchInputError(`${where}: layer range [${v.firstLayer}, ${v.lastLayer}] is not within the model's ${L} layers`);
    }
    if (v.layers.length === 0) throw new SearchInputError(`${where}: it has no layers`);
    // A tensor made inside the range other than its output must not be read after it.
    for (let i = v.lastLayer + 1; i < L; i++) {
      for (const id of base.layers[i].inputIds) {
        const p = id === MODEL_INPUT_ID ? -1 : (position.get(id) ?? -1);
        if (p >= v.firstLayer && p < v.lastLayer) {
          throw new SearchInputError(`${where}: base layer ${i} "${base.layers[i].layer.id}" reads "${id}" from inside the replaced range [${v.firstLayer}, ${v.lastLayer}]`);
        }
      }
    }
    byId.set(v.id, v);
  }
  return byId;
}

/** The variants of a composition, sorted by first layer, after checking it. */
export function checkComposition(base: ModelAnalysis, catalog: ReadonlyMap<string, VariantInfo>, c: Composition): VariantInfo[] {
  const L = base.layers.length;
  const what = `composition cut ${c.cut} [${c.variantIds.join(', ')}] of model "${base.spec.name}"`;
  if (!Number.isInteger(c.cut) || c.cut < 0 || c.cut > L) throw new SearchInputError(`${what}: cut must be a whole number from 0 to ${L}`);
  const variants: VariantInfo[] = [];
  const seen = new Set<string>();
  for (const id of c.variantIds) {
    const v = catalog.get(id);
    if (!v) throw new SearchInputError(`${what}: unknown variant "${id}"`);
    if (seen.has(id)) throw new SearchInputError(`${what}: variant "${id}" is listed twice`);
    seen.add(id);
    if (v.lastLayer >= c.cut) {
      const inside = v.firstLayer < c.cut;
      throw new SearchInputError(`${what}: variant "${id}" [${v.firstLayer}, ${v.lastLayer}] ${inside ? 'has the cut inside it' : 'is on the cloud side'}; variants run on the device only`);
    }
    variants.push(v);
  }
  variants.sort((a, b) => a.firstLayer - b.firstLayer);
  for (let i = 1; i < variants.length; i++) {
    if (variants[i].firstLayer <= variants[i - 1].lastLayer) {
      throw new SearchInputError(`${what}: variants "${variants[i - 1].id}" and "${variants[i].id}" overlap`);
    }
  }
  return variants;
}

/** Whether a cut at `cut` falls strictly inside the variant's range (between its first and last layer). */
export function cutInside(v: VariantInfo, cut: number): boolean {
  return cut > v.firstLayer && cut <= v.lastLayer;
}
