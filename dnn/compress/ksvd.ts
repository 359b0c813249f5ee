import type { Matrix } from './matrix.ts';
import { zeros } from './matrix.ts';
import { omp } from './omp.ts';
import type { Svd } from './svd.ts';

export interface KsvdResult {
  /** Dictionary, m x k, unit-norm columns. */
  d: Matrix;
  /** Sparse codes, k x n, at most `sparsity` non-zeros per column. */
  x: Matrix;
  /** ‖W - DX‖_F with the SVD dictionary and its OMP codes (before the iterations). */
  errorBefore: number;
  errorAfter: number;
}

/**
 * ALS steps per atom update. Each step can only lower the error; two are the
 * "approximate K-SVD" of Rubinstein, Zibulevsky and Elad (2008), which converges
 * over the iterations at a fraction of the cost of an exact rank-1 SVD per atom.
 */
const ATOM_STEPS = 2;

/**
 * K-SVD (Aharon, Elad, Bruckstein 2006) for W (m x n) ≈ D X: D starts as the first
 * k left singular vectors of W (given as `start`), X by OMP. Each iteration
 * re-codes by OMP (kept only when it lowers the error: OMP is greedy), then updates
 * each atom and its non-zero codes together to the best rank-1 fit of the residual
 * on the columns that use it (alternating least squares started from the current
 * pair, so no update raises the error). errorAfter <= errorBefore.
 */
export function ksvd(w: Matrix, start: Svd, k: number, sparsity: number, iterations: number): KsvdResult {
  const m = w.rows;
  const r = start.s.length;
  const d = zeros(m, k);
  for (let i = 0; i < m; i++) for (let l = 0; l < k; l++) d.data[i * k + l] = start.u.data[i * r + l];
  let x = omp(d, w, sparsity);
  // Column-major copies for the atom updates: strided row-major access would miss the cache on every element.
  const wCols = columns(w);
  const dCols = columns(d);
  const errorBefore = residualNorm(wCols, dCols, x);
  let error = errorBefore;
  for (let it = 0; it < iterations; it++) {
    if (it > 0) {
      const recoded = omp(fromColumns(dCols, m), w, sparsity);
      const e = residualNorm(wCols, dCols, recoded);
      if (e < error) {
        x = recoded;
        error = e;
      }
    }
    const residual = residualColumns(wCols, dCols, x);
    for (let j = 0; j < k; j++) updateAtom(residual, dCols, x, j);
    error = residualNorm(wCols, dCols, x);
  }
  return { d: fromColumns(dCols, m), x, errorBefore, errorAfter: error };
}

function columns(a: Matrix): Float64Array[] {
  return Array.from({ length: a.cols }, (_, j) => {
    const col = new Float64Array(a.rows);
    for (let i = 0; i < a.rows; i++) col[i] = a.data[i * a.cols + j];
    return col;
  });
}

function fromColumns(cols: Float64Array[], rows: number): Matrix {
  const out = zeros(rows, cols.length);
  cols.forEach((col, j) => {
    for (let i = 0; i < rows; i++) out.data[i * cols.length + j] = col[i];
  });
  return out;
}

/** Columns of W - D X, X sparse: m · nnz(X) work. */
function residualColumns(wCols: Float64Array[], dCols: Float64Array[], x: Matrix): Float64Array[] {
  const n = x.cols;
  return wCols.map((wCol, i) => {
    const col = Float64Array.from(wCol);
    for (let l = 0; l < dCols.length; l++) {
      const c = x.data[l * n + i];
      if (c === 0) continue;
      const atom = dCols[l];
      for (let row = 0; row < col.length; row++) col[row] -= atom[row] * c;
    }
    return col;
  });
}

function residualNorm(wCols: Float64Array[], dCols: Float64Array[], x: Matrix): number {
  let sum = 0;
  for (const col of residualColumns(wCols, dCols, x)) for (let i = 0; i < col.length; i++) sum += col[i] * col[i];
  return Math.sqrt(sum);
}

/**
 * Refits atom j and its non-zero codes to the residual without it, on the columns
 * that use it: E = R + d_j x_j (R = W - DX, kept up to date in place, so an update
 * costs m·|users| rather than m·|users|·s).
 */
function updateAtom(residual: Float64Array[], dCols: Float64Array[], x: Matrix, j: number): void {
  const n = x.cols;
  const dj = dCols[j];
  const m = dj.length;
  const users: number[] = [];
  for (let i = 0; i < n; i++) if (x.data[j * n + i] !== 0) users.push(i);
  if (users.length === 0) return;
  const e = users.map((i) => {
    const col = Float64Array.from(residual[i]);
    const c = x.data[j * n + i];
    for (let row = 0; row < m; row++) col[row] += dj[row] * c;
    return col;
  });
  let codes = users.map((i) => x.data[j * n + i]);
  const atom = new Float64Array(m);
  for (let step = 0; step < ATOM_STEPS; step++) {
    atom.fill(0);
    for (let t = 0; t < e.length; t++) {
      const col = e[t];
      const c = codes[t];
      for (let row = 0; row < m; row++) atom[row] += col[row] * c;
    }
    let norm = 0;
    for (let row = 0; row < m; row++) norm += atom[row] * atom[row];
    norm = Math.sqrt(norm);
    if (norm === 0) return;
    for (let row = 0; row < m; row++) atom[row] /= norm;
    codes = e.map((col) => {
      let dot = 0;
      for (let row = 0; row < m; row++) dot += col[row] * atom[row];
      return dot;
    });
  }
  dj.set(atom);
  users.forEach((i, t) => {
    x.data[j * n + i] = codes[t];
    const col = e[t];
    const res = residual[i];
    for (let row = 0; row < m; row++) res[row] = col[row] - atom[row] * codes[t];
  });
}
