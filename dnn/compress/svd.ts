import { householderQr } from './householder-qr.ts';
import type { Matrix } from './matrix.ts';
import { multiply, transpose, zeros } from './matrix.ts';

/** A = U diag(s) Vᵀ with r = min(m, n) singular values in decreasing order. */
export interface Svd {
  /** m x r, orthonormal columns (a column is zero where its singular value is 0). */
  u: Matrix;
  s: Float64Array;
  /** n x r, orthonormal columns. */
  v: Matrix;
}

const MAX_SWEEPS = 60;
const TOLERANCE = 1e-15;

/**
 * Thin SVD by one-sided Jacobi (Hestenes) in Float64: plane rotations applied to
 * the columns of A (of Aᵀ when A is wide) until every pair is orthogonal; the column
 * norms are then the singular values. Accurate to machine precision, and fast
 * enough for FC kernels of a few thousand by a few hundred and for conv kernel slices.
 * A tall matrix (m > 2n) is first reduced by Householder QR, A = QR, and R rotated:
 * a sweep then costs n³ rather than m·n² (alexnet's 4096 x 384 fc1 in seconds).
 */
export function svd(a: Matrix): Svd {
  if (a.rows < a.cols) {
    const t = svd(transpose(a));
    return { u: t.v, s: t.s, v: t.u };
  }
  if (a.rows > 2 * a.cols) {
    const { q, r } = householderQr(a);
    const inner = jacobiSvd(r);
    return { u: multiply(q, inner.u), s: inner.s, v: inner.v };
  }
  return jacobiSvd(a);
}

function jacobiSvd(a: Matrix): Svd {
  const m = a.rows;
  const n = a.cols;
  // Column-major working copies: each column contiguous for the rotations.
  const cols: Float64Array[] = [];
  const vCols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const col = new Float64Array(m);
    for (let i = 0; i < m; i++) col[i] = a.data[i * n + j];
    cols.push(col);
    const e = new Float64Array(n);
    e[j] = 1;
    vCols.push(e);
  }
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const x = cols[p];
        const y = cols[q];
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          alpha += x[i] * x[i];
          beta += y[i] * y[i];
          gamma += x[i] * y[i];
        }
        if (gamma === 0 || Math.abs(gamma) <= TOLERANCE * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(x, y, c, s);
        rotate(vCols[p], vCols[q], c, s);
      }
    }
    if (!rotated) break;
  }
  const norms = cols.map((col) => Math.sqrt(col.reduce((sum, v) => sum + v * v, 0)));
  const order = norms.map((_, j) => j).sort((i, j) => norms[j] - norms[i]);
  const u = zeros(m, n);
  const v = zeros(n, n);
  const s = new Float64Array(n);
  order.forEach((j, r) => {
    s[r] = norms[j];
    const inv = norms[j] > 0 ? 1 / norms[j] : 0;
    for (let i = 0; i < m; i++) u.data[i * n + r] = cols[j][i] * inv;
    for (let i = 0; i < n; i++) v.data[i * n + r] = vCols[j][i];
  });
  return { u, s, v };
}

function rotate(x: Float64Array, y: Float64Array, c: number, s: number): void {
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const yi = y[i];
    x[i] = c * xi - s * yi;
    y[i] = s * xi + c * yi;
  }
}

/** U_k diag(s_k) V_kᵀ: the best rank-k approximation (Eckart-Young). */
export function reconstruct(d: Svd, k: number = d.s.length): Matrix {
  const m = d.u.rows;
  const n = d.v.rows;
  const r = d.s.length;
  const out = zeros(m, n);
  for (let l = 0; l < k; l++) {
    for (let i = 0; i < m; i++) {
      const ui = d.u.data[i * r + l] * d.s[l];
      if (ui === 0) continue;
      for (let j = 0; j < n; j++) out.data[i * n + j] += ui * d.v.data[j * r + l];
    }
  }
  return out;
}

/** The smallest k whose singular values keep at least `energy` of the sum of squares. */
export function rankForEnergy(s: Float64Array, energy: number): number {
  const total = s.reduce((sum, v) => sum + v * v, 0);
  if (total === 0) return 1;
  let kept = 0;
  for (let k = 0; k < s.length; k++) {
    kept += s[k] * s[k];
    if (kept >= energy * total * (1 - 1e-12)) return k + 1;
  }
  return s.length;
}
