/**
 * A dense Float64 matrix, row-major, for the small linear algebra the compression
 * transforms need (SVD, OMP). Pure: no tensors.
 */
export interface Matrix {
  rows: number;
  cols: number;
  /** data[r * cols + c] */
  data: Float64Array;
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** A matrix from a row-major float array, e.g. an FC kernel [in, out]. */
export function fromArray(rows: number, cols: number, values: ArrayLike<number>): Matrix {
  if (values.length !== rows * cols) throw new RangeError(`fromArray: ${values.length} values do not make a ${rows} x ${cols} matrix`);
  return { rows, cols, data: Float64Array.from(values) };
}

export function toFloat32(m: Matrix): Float32Array {
  return Float32Array.from(m.data);
}

export function transpose(m: Matrix): Matrix {
  const t = zeros(m.cols, m.rows);
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) t.data[c * m.rows + r] = m.data[r * m.cols + c];
  return t;
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`multiply: ${a.rows} x ${a.cols} by ${b.rows} x ${b.cols}`);
  const out = zeros(a.rows, b.cols);
  for (let r = 0; r < a.rows; r++) {
    for (let k = 0; k < a.cols; k++) {
      const v = a.data[r * a.cols + k];
      if (v === 0) continue;
      const bRow = k * b.cols;
      const oRow = r * b.cols;
      for (let c = 0; c < b.cols; c++) out.data[oRow + c] += v * b.data[bRow + c];
    }
  }
  return out;
}

/** Frobenius norm of a - b (of a alone when b is omitted). */
export function frobenius(a: Matrix, b?: Matrix): number {
  if (b && (a.rows !== b.rows || a.cols !== b.cols)) throw new RangeError(`frobenius: ${a.rows} x ${a.cols} vs ${b.rows} x ${b.cols}`);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i] - (b ? b.data[i] : 0);
    sum += d * d;
  }
  return Math.sqrt(sum);
}
