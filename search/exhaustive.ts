/**
 * Exhaustive enumeration over the search's own action space, as ground truth where it is
 * small: every node choice of a block (cut or none, times every non-overlapping set of the
 * block's device-side variants); every composition (the optimal branch at a bandwidth);
 * and the optimal tree by dynamic programming over the tree (a node's best value is the
 * best over its choices of the completed model's reward or the mean of its children's
 * best values, which is the backward estimate maximised). Above `limit` work items each
 * refuses with ExhaustiveLimitError naming the size.
 */
import type { ActionSpace, NodeChoice } from './action-space.ts';
import type { CompositionEvaluation, EvaluationPool } from './evaluation-pool.ts';
import type { ModelTree } from './model-tree.ts';
import type { Composition } from './problem.ts';
import { buildTree } from './tree-build.ts';

export const DEFAULT_EXHAUSTIVE_LIMIT = 200_000;

export class ExhaustiveLimitError extends Error {
  readonly size: number;
  constructor(what: string, size: number, limit: number) {
    super(`exhaustive ${what}: the space holds ${size} items, above the limit of ${limit}`);
    this.name = 'ExhaustiveLimitError';
    this.size = size;
  }
}

/** Every non-overlapping set of variants of the space within [from, to) (variants fully inside), by first layer. */
export function variantSets(space: ActionSpace, from: number, to: number): string[][] {
  const sets: string[][] = [];
  const walk = (p: number, chosen: string[]): void => {
    if (p >= to) {
      sets.push(chosen);
      return;
    }
    walk(p + 1, chosen);
    for (const v of space.variantsAt(p)) if (v.lastLayer < to) walk(v.lastLayer + 1, [...chosen, v.id]);
  };
  walk(from, []);
  return sets;
}

/** Every choice of a node at `block`. */
export function nodeChoices(space: ActionSpace, block: number): NodeChoice[] {
  const b = space.blocks[block];
  const out: NodeChoice[] = [];
  for (const cut of [...Array.from({ length: b.end - b.start }, (_, j) => b.start + j), null]) {
    for (const variantIds of variantSets(space, b.start, cut ?? b.end)) out.push({ cut, variantIds });
  }
  return out;
}

/** Every composition reachable in the action space (distinct: cut 0..L and variant sets within blocks). */
export function allCompositions(space: ActionSpace, limit = DEFAULT_EXHAUSTIVE_LIMIT): Composition[] {
  const L = space.blocks[space.blocks.length - 1].end;
  const perBlock = space.blocks.map((b) => variantSets(space, b.start, b.end));
  // Whole blocks before the cut's block combine freely; count first.
  let size = 0;
  for (let cut = 0; cut <= L; cut++) {
    let n = 1;
    for (const b of space.blocks) n *= b.end <= cut ? perBlock[b.index].length : b.start < cut ? variantSets(space, b.start, cut).length : 1;
    size += n;
  }
  if (size > limit) throw new ExhaustiveLimitError('compositions', size, limit);
  const out: Composition[] = [];
  for (let cut = 0; cut <= L; cut++) {
    let sets: string[][] = [[]];
    for (const b of space.blocks) {
      if (b.start >= cut) break;
      const here = b.end <= cut ? perBlock[b.index] : variantSets(space, b.start, cut);
      sets = sets.flatMap((s) => here.map((h) => [...s, ...h]));
    }
    for (const variantIds of sets) out.push({ cut, variantIds });
  }
  return out;
}

/** The best composition at a bandwidth over the whole space, and the space's size. */
export async function exhaustiveBranch(pool: EvaluationPool, space: ActionSpace, bandwidthMbps: number, limit = DEFAULT_EXHAUSTIVE_LIMIT): Promise<{ best: CompositionEvaluation; size: number }> {
  const all = allCompositions(space, limit);
  let best: CompositionEvaluation | null = null;
  for (const c of all) {
    const e = await pool.evaluate(c, bandwidthMbps);
    if (best === null || e.reward > best.reward) best = e;
  }
  return { best: best as CompositionEvaluation, size: all.length };
}

/** The optimal tree (greatest backward-estimated reward) for the bandwidth types, and the work it took. */
export async function exhaustiveTree(pool: EvaluationPool, space: ActionSpace, levelsMbps: readonly number[], limit = DEFAULT_EXHAUSTIVE_LIMIT): Promise<{ tree: ModelTree; work: number }> {
  const N = space.blocks.length;
  const K = levelsMbps.length;
  const L = pool.layerCount;
  const choices = space.blocks.map((b) => nodeChoices(space, b.index));
  // Work: at depth d, K^(d+1)... memoised by (depth, level, variants so far): K * prefixes(d) * choices(d).
  let work = 0;
  let prefixes = 1;
  for (let d = 0; d < N; d++) {
    work += K * prefixes * choices[d].length;
    prefixes *= choices[d].filter((c) => c.cut === null).length;
  }
  if (work > limit) throw new ExhaustiveLimitError('tree', work, limit);
  const memo = new Map<string, { value: number; choice: NodeChoice }>();
  const best = async (d: number, k: number, prefix: readonly string[]): Promise<{ value: number; choice: NodeChoice }> => {
    const key = `${d}|${k}|${prefix.join(',')}`;
    const known = memo.get(key);
    if (known) return known;
    let top: { value: number; choice: NodeChoice } | null = null;
    for (const choice of choices[d]) {
      const variantIds = [...prefix, ...choice.variantIds];
      let value: number;
      if (choice.cut !== null || d === N - 1) {
        value = (await pool.evaluate({ cut: choice.cut ?? L, variantIds }, levelsMbps[k])).reward;
      } else {
        value = 0;
        for (let k2 = 0; k2 < K; k2++) value += (await best(d + 1, k2, variantIds)).value / K;
      }
      if (top === null || value > top.value) top = { value, choice };
    }
    memo.set(key, top as { value: number; choice: NodeChoice });
    return top as { value: number; choice: NodeChoice };
  };
  for (let k = 0; k < K; k++) await best(0, k, []);
  const tree = await buildTree(pool, levelsMbps, (n, nodes) => {
    const prefix: string[] = [];
    for (let m = n.parent; m !== null; m = nodes[m].parent) prefix.unshift(...nodes[m].variantIds);
    return (memo.get(`${n.block}|${n.level}|${prefix.join(',')}`) as { choice: NodeChoice }).choice;
  });
  return { tree, work };
}
