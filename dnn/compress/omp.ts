import type { Matrix } from './matrix.ts';
import { multiply, transpose, zeros } from './matrix.ts';

/**
 * Orthogonal matching pursuit for every column of W (m x n) over the dictionary D
 * (m x k): codes X (k x n) with at most `sparsity` non-zeros per column, each
 * column's coefficients the least-squares fit on the atoms chosen so far. Works in
 * the coefficient domain (DᵀW and the Gram matrix DᵀD) with a Cholesky factor of
 * the chosen atoms' Gram block grown one row per step (OMP-Cholesky), so a step
 * costs O(k·s), not O(m·k) or O(s³). Atoms of zero norm, or dependent on those
 * already chosen, are never chosen.
 */
export function omp(d: Matrix, w: Matrix, sparsity: number): Matrix {
  const k = d.cols;
  const n = w.cols;
  const dt = transpose(d);
  const gram = multiply(dt, d);
  const dtw = multiply(dt, w); // k x n
  const x = zeros(k, n);
  const b = new Float64Array(k);
  const chosen = new Uint8Array(k);
  // L, row-major in a sparsity x sparsity block: G[S, S] = L Lᵀ.
  const l = new Float64Array(sparsity * sparsity);
  const y = new Float64Array(sparsity);
  for (let col = 0; col < n; col++) {
    for (let j = 0; j < k; j++) b[j] = dtw.data[j * n + col];
    chosen.fill(0);
    const support: number[] = [];
    let coeffs: Float64Array = new Float64Array(0);
    for (let step = 0; step < sparsity; step++) {
      let best = -1;
      let bestScore = 0;
      for (let j = 0; j < k; j++) {
        const gjj = gram.data[j * k + j];
        if (gjj <= 1e-24 || chosen[j] === 1) continue;
        let c = b[j];
        for (let t = 0; t < support.length; t++) c -= gram.data[j * k + support[t]] * coeffs[t];
        const score = Math.abs(c) / Math.sqrt(gjj); // correlation with the unit atom
        if (score > bestScore) {
          bestScore = score;
          best = j;
        }
      }
      if (best < 0 || bestScore <= 1e-12) break;
      // New row of L: solve L v = G[S, best], then the diagonal sqrt(G[best, best] - |v|²).
      const s = support.length;
      let vv = 0;
      for (let r = 0; r < s; r++) {
        let v = gram.data[support[r] * k + best];
        for (let c = 0; c < r; c++) v -= l[r * sparsity + c] * l[s * sparsity + c];
        v /= l[r * sparsity + r];
        l[s * sparsity + r] = v;
        vv += v * v;
      }
      const diag = gram.data[best * k + best] - vv;
      if (diag <= 1e-12 * gram.data[best * k + best]) {
        chosen[best] = 1; // dependent on the chosen atoms: adds nothing
        continue;
      }
      l[s * sparsity + s] = Math.sqrt(diag);
      support.push(best);
      chosen[best] = 1;
      coeffs = solveCholesky(l, sparsity, support.length, support.map((j) => b[j]), y);
    }
    support.forEach((j, t) => {
      x.data[j * n + col] = coeffs[t];
    });
  }
  return x;
}

/** Solves L Lᵀ c = rhs for the leading size x size block of L (stride `stride`). */
function solveCholesky(l: Float64Array, stride: number, size: number, rhs: number[], y: Float64Array): Float64Array {
  for (let r = 0; r < size; r++) {
    let v = rhs[r];
    for (let c = 0; c < r; c++) v -= l[r * stride + c] * y[c];
    y[r] = v / l[r * stride + r];
  }
  const out = new Float64Array(size);
  for (let r = size - 1; r >= 0; r--) {
    let v = y[r];
    for (let c = r + 1; c < size; c++) v -= l[c * stride + r] * out[c];
    out[r] = v / l[r * stride + r];
  }
  return out;
}
