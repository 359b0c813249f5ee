import type { Matrix } from './matrix.ts';
import { frobenius, multiply, zeros } from './matrix.ts';
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

/** ALS steps per atom update: enough to settle the rank-1 fit on these sizes. */
const ATOM_STEPS = 8;

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
  const errorBefore = frobenius(w, multiply(d, x));
  let error = errorBefore;
  for (let it = 0; it < iterations; it++) {
    if (it > 0) {
      const recoded = omp(d, w, sparsity);
      const e = frobenius(w, multiply(d, recoded));
      if (e < error) {
        x = recoded;
        error = e;
      }
    }
    for (let j = 0; j < k; j++) updateAtom(w, d, x, j);
    error = frobenius(w, multiply(d, x));
  }
  return { d, x, errorBefore, errorAfter: error };
}

function updateAtom(w: Matrix, d: Matrix, x: Matrix, j: number): void {
  const m = w.rows;
  const n = w.cols;
  const k = d.cols;
  const users: number[] = [];
  for (let i = 0; i < n; i++) if (x.data[j * n + i] !== 0) users.push(i);
  if (users.length === 0) return;
  // Residual without atom j on its users: E = W_R - D X_R + d_j x_jR (m x |R|, column-major).
  const e = users.map((i) => {
    const col = new Float64Array(m);
    for (let row = 0; row < m; row++) col[row] = w.data[row * n + i];
    for (let l = 0; l < k; l++) {
      const c = x.data[l * n + i];
      if (c === 0 || l === j) continue;
      for (let row = 0; row < m; row++) col[row] -= d.data[row * k + l] * c;
    }
    return col;
  });
  let codes = users.map((i) => x.data[j * n + i]);
  const atom = new Float64Array(m);
  for (let step = 0; step < ATOM_STEPS; step++) {
    atom.fill(0);
    e.forEach((col, t) => {
      for (let row = 0; row < m; row++) atom[row] += col[row] * codes[t];
    });
    const norm = Math.sqrt(atom.reduce((s, v) => s + v * v, 0));
    if (norm === 0) return;
    for (let row = 0; row < m; row++) atom[row] /= norm;
    codes = e.map((col) => col.reduce((s, v, row) => s + v * atom[row], 0));
  }
  for (let row = 0; row < m; row++) d.data[row * k + j] = atom[row];
  users.forEach((i, t) => {
    // A code that lands exactly on 0 would drop the atom from the support; keep the structure.
    x.data[j * n + i] = codes[t];
  });
}
