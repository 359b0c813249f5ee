import type { Matrix } from './matrix.ts';
import { multiply, transpose, zeros } from './matrix.ts';

/**
 * Orthogonal matching pursuit for every column of W (m x n) over the dictionary D
 * (m x k): codes X (k x n) with at most `sparsity` non-zeros per column, each
 * column's coefficients the least-squares fit on the atoms chosen so far. Works in
 * the coefficient domain (DᵀW and the Gram matrix DᵀD), so a step costs O(k·s),
 * not O(m·k). Atoms of zero norm are never chosen.
 */
export function omp(d: Matrix, w: Matrix, sparsity: number): Matrix {
  const k = d.cols;
  const n = w.cols;
  const dt = transpose(d);
  const gram = multiply(dt, d);
  const dtw = multiply(dt, w); // k x n
  const x = zeros(k, n);
  const b = new Float64Array(k);
  for (let col = 0; col < n; col++) {
    for (let j = 0; j < k; j++) b[j] = dtw.data[j * n + col];
    const support: number[] = [];
    let coeffs: Float64Array = new Float64Array(0);
    for (let step = 0; step < sparsity; step++) {
      let best = -1;
      let bestScore = 0;
      for (let j = 0; j < k; j++) {
        if (gram.data[j * k + j] <= 1e-24 || support.includes(j)) continue;
        let c = b[j];
        for (let t = 0; t < support.length; t++) c -= gram.data[j * k + support[t]] * coeffs[t];
        // Correlation with the unit atom.
        const score = Math.abs(c) / Math.sqrt(gram.data[j * k + j]);
        if (score > bestScore) {
          bestScore = score;
          best = j;
        }
      }
      if (best < 0 || bestScore <= 1e-12) break;
      support.push(best);
      coeffs = solveSymmetric(gram, k, support, b);
    }
    support.forEach((j, t) => {
      x.data[j * n + col] = coeffs[t];
    });
  }
  return x;
}

/** Solves G[S, S] c = b[S] by Gaussian elimination with partial pivoting (|S| is small). */
function solveSymmetric(gram: Matrix, k: number, support: number[], b: Float64Array): Float64Array {
  const s = support.length;
  const a = new Float64Array(s * (s + 1));
  for (let r = 0; r < s; r++) {
    for (let c = 0; c < s; c++) a[r * (s + 1) + c] = gram.data[support[r] * k + support[c]];
    a[r * (s + 1) + s] = b[support[r]];
  }
  for (let p = 0; p < s; p++) {
    let pivot = p;
    for (let r = p + 1; r < s; r++) if (Math.abs(a[r * (s + 1) + p]) > Math.abs(a[pivot * (s + 1) + p])) pivot = r;
    if (pivot !== p) {
      for (let c = 0; c <= s; c++) {
        const t = a[p * (s + 1) + c];
        a[p * (s + 1) + c] = a[pivot * (s + 1) + c];
        a[pivot * (s + 1) + c] = t;
      }
    }
    const diag = a[p * (s + 1) + p];
    if (Math.abs(diag) < 1e-300) continue;
    for (let r = p + 1; r < s; r++) {
      const f = a[r * (s + 1) + p] / diag;
      if (f === 0) continue;
      for (let c = p; c <= s; c++) a[r * (s + 1) + c] -= f * a[p * (s + 1) + c];
    }
  }
  const out = new Float64Array(s);
  for (let r = s - 1; r >= 0; r--) {
    let v = a[r * (s + 1) + s];
    for (let c = r + 1; c < s; c++) v -= a[r * (s + 1) + c] * out[c];
    const diag = a[r * (s + 1) + r];
    out[r] = Math.abs(diag) < 1e-300 ? 0 : v / diag;
  }
  return out;
}
