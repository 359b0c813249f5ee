import type { ModelSpec } from '../spec/layer-spec.ts';
import type { WeightSet } from '../tfjs/layer-weights.ts';
import { checkFactorableFc, fcMatrix, splitFc } from './factor-fc.ts';
import { finishResult } from './finish-result.ts';
import { frobenius, zeros } from './matrix.ts';
import type { Matrix } from './matrix.ts';
import { ParamReader } from './param-reader.ts';
import { rankForEnergy, svd } from './svd.ts';
import type { Svd } from './svd.ts';
import { targetLayer } from './target-layer.ts';
import type { CompressionResult, LayerRef, Technique, TechniqueParamDoc, TechniqueParams } from './technique.ts';

export const SVD_PARAMS: readonly TechniqueParamDoc[] = [
  { name: 'rank', type: 'integer', default: 'from energy', doc: 'k, the inner size: 1 .. min(m, n). Give rank or energy, not both.' },
  { name: 'energy', type: 'number', default: '0.9', doc: 'Fraction (0, 1] of the sum of squared singular values to keep; k is the smallest rank that keeps it.' },
];

/** The rank a technique's `rank` / `energy` parameters choose for these singular values. */
export function chooseRank(reader: ParamReader, d: Svd, fail: (reason: string) => never): number {
  const r = d.s.length;
  if (reader.has('rank') && reader.has('energy')) fail('give rank or energy, not both');
  if (reader.has('rank')) return reader.integer('rank', r, 1, r);
  return rankForEnergy(d.s, reader.number('energy', 0.9, 0, 1, true));
}

/** U_k sqrt(Σ_k) (m x k) and sqrt(Σ_k) V_kᵀ (k x n): the square root split keeps both factors of like scale. */
export function svdFactors(d: Svd, k: number): { a: Matrix; b: Matrix } {
  const m = d.u.rows;
  const n = d.v.rows;
  const r = d.s.length;
  const a = zeros(m, k);
  const b = zeros(k, n);
  for (let l = 0; l < k; l++) {
    const root = Math.sqrt(d.s[l]);
    for (let i = 0; i < m; i++) a.data[i * k + l] = d.u.data[i * r + l] * root;
    for (let j = 0; j < n; j++) b.data[l * n + j] = d.v.data[j * r + l] * root;
  }
  return { a, b };
}

/**
 * F1: an FC layer's m x n kernel W into W ≈ A·B by exact truncated SVD (one-sided
 * Jacobi in Float64), as two FC layers `<id>_u` (m x k, no bias, linear) and
 * `<id>_v` (k x n, the original bias and activation). MACCs m·n become k·(m + n).
 * details: rank, relativeError (‖W - AB‖_F / ‖W‖_F = sqrt of the dropped σ² over all σ²), energyKept.
 */
export function applySvdFc(spec: ModelSpec, weights: WeightSet, ref: LayerRef, params: TechniqueParams = {}): CompressionResult {
  const target = targetLayer('F1', spec, ref);
  checkFactorableFc(target);
  const reader = new ParamReader(target, params, SVD_PARAMS);
  const { w } = fcMatrix(target, weights);
  const d = svd(w);
  const k = chooseRank(reader, d, target.fail);
  const { a, b } = svdFactors(d, k);
  const total = d.s.reduce((sum, v) => sum + v * v, 0);
  const kept = d.s.slice(0, k).reduce((sum, v) => sum + v * v, 0);
  const split = splitFc(target, spec, weights, a, b, ['u', 'v']);
  const norm = frobenius(w);
  const relativeError = norm === 0 ? 0 : Math.sqrt(Math.max(0, total - kept)) / norm;
  return finishResult(target, {
    spec: split.spec,
    weights: split.weights,
    description: `F1 SVD: fc "${target.layer.id}" (${w.rows} x ${w.cols}) into ${split.ids[0]} (${w.rows} x ${k}) and ${split.ids[1]} (${k} x ${w.cols}), rank ${k} of ${d.s.length}, ${(100 * (total === 0 ? 1 : kept / total)).toFixed(1)}% of the energy kept.`,
    replacedLayerIds: [target.layer.id],
    newLayerIds: split.ids,
    details: { rank: k, relativeError, energyKept: total === 0 ? 1 : kept / total },
  });
}

export const SVD_TECHNIQUE: Technique = {
  id: 'F1',
  name: 'SVD',
  appliesTo: ['fc'],
  summary: 'Factorises an FC weight matrix by truncated SVD into two thinner FC layers.',
  params: SVD_PARAMS,
  check: (spec, ref) => checkFactorableFc(targetLayer('F1', spec, ref)),
  apply: applySvdFc,
};
