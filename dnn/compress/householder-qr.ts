import type { Matrix } from './matrix.ts';
import { zeros } from './matrix.ts';

/** A = Q R for a tall A (m x n, m >= n): Q m x n with orthonormal columns, R n x n upper triangular. */
export interface ThinQr {
  q: Matrix;
  r: Matrix;
}

/**
 * Householder QR in Float64 (column-major work arrays). Used before the Jacobi SVD
 * of a tall matrix: rotating the n x n R costs n³ per sweep instead of m·n².
 */
export function householderQr(a: Matrix): ThinQr {
  const m = a.rows;
  const n = a.cols;
  if (m < n) throw new RangeError(`householderQr: ${m} x ${n} is wide`);
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const col = new Float64Array(m);
    for (let i = 0; i < m; i++) col[i] = a.data[i * n + j];
    cols.push(col);
  }
  const reflectors: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const x = cols[j];
    let norm = 0;
    for (let i = j; i < m; i++) norm += x[i] * x[i];
    norm = Math.sqrt(norm);
    const v = new Float64Array(m - j);
    if (norm === 0) {
      reflectors.push(v);
      continue;
    }
    const alpha = x[j] > 0 ? -norm : norm;
    for (let i = j; i < m; i++) v[i - j] = x[i];
    v[0] -= alpha;
    const vv = v.reduce((s, e) => s + e * e, 0);
    if (vv === 0) {
      reflectors.push(new Float64Array(m - j));
      continue;
    }
    const scale = Math.sqrt(2 / vv);
    for (let i = 0; i < v.length; i++) v[i] *= scale; // now H = I - v vᵀ
    reflectors.push(v);
    for (let k = j; k < n; k++) applyReflector(cols[k], v, j);
  }
  const r = zeros(n, n);
  for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) r.data[i * n + j] = cols[j][i];
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
  const q = zeros(m, n);
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(m);
    e[j] = 1;
    for (let h = n - 1; h >= 0; h--) applyReflector(e, reflectors[h], h);
    for (let i = 0; i < m; i++) q.data[i * n + j] = e[i];
  }
  return { q, r };
}

function applyReflector(col: Float64Array, v: Float64Array, offset: number): void {
  let dot = 0;
  for (let i = 0; i < v.length; i++) dot += v[i] * col[offset + i];
  if (dot === 0) return;
  for (let i = 0; i < v.length; i++) col[offset + i] -= dot * v[i];
}
