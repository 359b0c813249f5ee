import type { ModelAnalysis } from './analyze.ts';
import { BlockSliceError } from './errors.ts';

/** A contiguous slice of a model's layer list: one level of the model tree. */
export interface Block {
  index: number;
  /** First layer position, inclusive. */
  start: number;
  /** Layer position after the last one, exclusive. */
  end: number;
  macc: number;
  params: number;
  /** Bytes crossing the cut before the block: cutBytes[start]. */
  inputBytes: number;
  /** Bytes crossing the cut after the block: cutBytes[end] (0 for the last block). */
  outputBytes: number;
}

/**
 * Splits the model at explicit interior boundaries: strictly increasing layer
 * positions b with 0 < b < L; boundary b starts a new block at layer b.
 * No boundaries gives one block holding the whole model.
 */
export function sliceBlocks(analysis: ModelAnalysis, boundaries: number[]): Block[] {
  const layerCount = analysis.layers.length;
  const name = analysis.spec.name;
  boundaries.forEach((b, i) => {
    if (!Number.isInteger(b) || b <= 0 || b >= layerCount) {
      throw new BlockSliceError(name, `block boundary ${b} (at ${i}) must be an integer layer position between 1 and ${layerCount - 1}`);
    }
    if (i > 0 && b <= boundaries[i - 1]) {
      throw new BlockSliceError(name, `block boundaries must increase strictly: ${boundaries[i - 1]} then ${b} (at ${i})`);
    }
  });
  const edges = [0, ...boundaries, layerCount];
  return edges.slice(1).map((end, index) => makeBlock(analysis, index, edges[index], end));
}

/**
 * Splits the model into n non-empty blocks balanced by MACCs, cut at layer
 * boundaries. Two passes of dynamic programming over prefixes of the layer list:
 * 1. the smallest possible MACC of the heaviest block, M* (linear partition:
 *    best[b][j] = min over i of max(best[b-1][i], MACC of layers i..j-1));
 * 2. among the splits whose every block has at most M* MACCs, the one with the
 *    fewest bytes crossing its interior cuts (cuts fall after pooling rather
 *    than before it); on a tie, the later boundary, so that zero-MACC layers
 *    (bn, activation, pooling) stay in the block of the conv before them.
 * O(n L^2) for L layers.
 */
export function balancedBlocks(analysis: ModelAnalysis, n: number): Block[] {
  const layerCount = analysis.layers.length;
  if (!Number.isInteger(n) || n < 1 || n > layerCount) {
    throw new BlockSliceError(analysis.spec.name, `block count ${n} must be an integer from 1 to the number of layers, ${layerCount}`);
  }
  const prefix = [0];
  for (const layer of analysis.layers) prefix.push(prefix[prefix.length - 1] + layer.macc);
  const sum = (i: number, j: number): number => prefix[j] - prefix[i];

  // Pass 1: heaviest[b][j] = least possible heaviest-block MACC for layers 0..j-1 in b blocks.
  const heaviest: number[][] = [[], prefix.slice()];
  for (let b = 2; b <= n; b++) {
    heaviest[b] = [];
    for (let j = b; j <= layerCount; j++) {
      let best = Infinity;
      for (let i = b - 1; i < j; i++) best = Math.min(best, Math.max(heaviest[b - 1][i], sum(i, j)));
      heaviest[b][j] = best;
    }
  }
  const limit = heaviest[n][layerCount];

  // Pass 2: least interior cut bytes with every block <= limit; from[b][j] = start of the b-th block.
  const cost: number[][] = [[], prefix.map((p) => (p <= limit ? 0 : Infinity))];
  const from: number[][] = [[], prefix.map(() => 0)];
  for (let b = 2; b <= n; b++) {
    cost[b] = [];
    from[b] = [];
    for (let j = b; j <= layerCount; j++) {
      let best = Infinity;
      let bestStart = -1;
      for (let i = j - 1; i >= b - 1; i--) {
        if (sum(i, j) > limit || !Number.isFinite(cost[b - 1][i])) continue;
        const candidate = cost[b - 1][i] + analysis.cutBytes[i];
        if (candidate < best) {
          best = candidate;
          bestStart = i;
        }
      }
      cost[b][j] = best;
      from[b][j] = bestStart;
    }
  }
  const boundaries: number[] = [];
  for (let b = n, j = layerCount; b > 1; b--) {
    j = from[b][j];
    boundaries.unshift(j);
  }
  return sliceBlocks(analysis, boundaries);
}

function makeBlock(analysis: ModelAnalysis, index: number, start: number, end: number): Block {
  const layers = analysis.layers.slice(start, end);
  return {
    index,
    start,
    end,
    macc: layers.reduce((s, l) => s + l.macc, 0),
    params: layers.reduce((s, l) => s + l.params, 0),
    inputBytes: analysis.cutBytes[start],
    outputBytes: analysis.cutBytes[end],
  };
}
