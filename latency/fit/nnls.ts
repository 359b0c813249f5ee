/**
 * Non-negative least squares for the few unknowns of a whole-model fit: x >= 0
 * minimising |A·x − b|². Every subset of unknowns is tried free with the others held
 * at 0, and the best subset whose solution is non-negative is kept. The problem is
 * convex and an optimum exists whose free unknowns have independent columns, so this
 * is its exact optimum (not an iteration's approximation); it costs 2^n small solves,
 * hence the limit of MAX_NNLS_UNKNOWNS. Columns are scaled to unit length and each
 * subset is solved by Householder QR, so MACC counts (~1e8) and layer counts (~1e1)
 * share one system without losing digits.
 */
import { FitError } from './errors.ts';

export const MAX_NNLS_UNKNOWNS = 12;

export interface NnlsSolution {
  x: number[];
  /** |A·x − b|² at x. */
  residualSquares: number;
}

/** Columns whose pivot falls below this (after scaling to unit length) are taken as dependent. */
const SINGULAR = 1e-10;

/**
 * Least squares on the columns `cols` of `a` (already scaled): the solution for those
 * columns, or null when they are dependent (or fewer rows than columns).
 */
function solveSubset(a: readonly (readonly number[])[], b: readonly number[], cols: readonly number[]): number[] | null {
  const m = a.length;
  const k = cols.length;
  if (m < k) return null;
  const r = a.map((row) => cols.map((c) => row[c]));
  const y = [...b];
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < m; i++) norm += r[i][j] * r[i][j];
    norm = Math.sqrt(norm);
    if (norm < SINGULAR) return null;
    const alpha = r[j][j] > 0 ? -norm : norm;
    const v = new Array<number>(m).fill(0);
    v[j] = r[j][j] - alpha;
    for (let i = j + 1; i < m; i++) v[i] = r[i][j];
    let vv = 0;
    for (let i = j; i < m; i++) vv += v[i] * v[i];
    if (vv > 0) {
      for (let c = j; c < k; c++) {
        let dot = 0;
        for (let i = j; i < m; i++) dot += v[i] * r[i][c];
        const f = (2 * dot) / vv;
        for (let i = j; i < m; i++) r[i][c] -= f * v[i];
      }
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i] * y[i];
      const f = (2 * dot) / vv;
      for (let i = j; i < m; i++) y[i] -= f * v[i];
    }
    if (Math.abs(r[j][j]) < SINGULAR) return null;
  }
  const x = new Array<number>(k).fill(0);
  for (let j = k - 1; j >= 0; j--) {
    let s = y[j];
    for (let c = j + 1; c < k; c++) s -= r[j][c] * x[c];
    x[j] = s / r[j][j];
  }
  return x;
}

function residualSquares(a: readonly (readonly number[])[], b: readonly number[], x: readonly number[]): number {
  let sum = 0;
  a.forEach((row, i) => {
    const r = row.reduce((s, v, j) => s + v * x[j], 0) - b[i];
    sum += r * r;
  });
  return sum;
}

/** `group` names the fit in errors. Throws FitError on non-finite input or too many unknowns. */
export function nonNegativeLeastSquares(a: readonly (readonly number[])[], b: readonly number[], group: string): NnlsSolution {
  const n = a[0]?.length ?? 0;
  if (a.length === 0 || n === 0) throw new FitError(group, 'there are no rows or no unknowns');
  if (n > MAX_NNLS_UNKNOWNS) throw new FitError(group, `${n} unknowns; at most ${MAX_NNLS_UNKNOWNS} are solved exactly`);
  if (b.length !== a.length) throw new FitError(group, `${a.length} rows but ${b.length} targets`);
  a.forEach((row, i) => {
    if (row.length !== n || !row.every(Number.isFinite) || !Number.isFinite(b[i])) throw new FitError(group, `row ${i} is not ${n} finite numbers with a finite target`);
  });
  const norms = Array.from({ length: n }, (_, j) => Math.sqrt(a.reduce((s, row) => s + row[j] * row[j], 0)));
  const scaled = a.map((row) => row.map((v, j) => (norms[j] > 0 ? v / norms[j] : 0)));
  // Holding every unknown at 0 is always feasible.
  let best: NnlsSolution = { x: new Array<number>(n).fill(0), residualSquares: b.reduce((s, v) => s + v * v, 0) };
  for (let mask = 1; mask < 1 << n; mask++) {
    const cols: number[] = [];
    for (let j = 0; j < n; j++) if (mask & (1 << j)) cols.push(j);
    if (cols.some((j) => norms[j] === 0)) continue;
    const z = solveSubset(scaled, b, cols);
    if (z === null || z.some((v) => v < 0)) continue;
    const x = new Array<number>(n).fill(0);
    cols.forEach((j, i) => { x[j] = z[i] / norms[j]; });
    const rss = residualSquares(a, b, x);
    if (rss < best.residualSquares) best = { x, residualSquares: rss };
  }
  return best;
}
