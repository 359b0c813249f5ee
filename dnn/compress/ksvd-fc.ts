import type { ModelSpec } from '../spec/layer-spec.ts';
import type { WeightSet } from '../tfjs/layer-weights.ts';
import { checkFactorableFc, fcMatrix, splitFc } from './factor-fc.ts';
import { finishResult } from './finish-result.ts';
import { frobenius } from './matrix.ts';
import { ksvd } from './ksvd.ts';
import { ParamReader } from './param-reader.ts';
import { svd } from './svd.ts';
import { chooseRank, SVD_PARAMS } from './svd-fc.ts';
import { targetLayer } from './target-layer.ts';
import type { CompressionResult, LayerRef, Technique, TechniqueParamDoc, TechniqueParams } from './technique.ts';

export const KSVD_PARAMS: readonly TechniqueParamDoc[] = [
  ...SVD_PARAMS,
  { name: 'sparsity', type: 'integer', default: 'ceil(k / 4)', doc: 's, the most non-zero codes per output unit (column of X): 1 .. k.' },
  { name: 'iterations', type: 'integer', default: '3', doc: 'K-SVD iterations after the SVD start: 0 .. 50.' },
  { name: 'sparseMacc', type: 'boolean', default: 'false', doc: 'Count the codes layer by its non-zeros (a sparse kernel) instead of densely as the paper does.' },
];

/**
 * F2: an FC layer's m x n kernel W ≈ D·X with a dictionary D (m x k) and sparse
 * codes X (k x n, at most s non-zeros per column) by K-SVD started from the SVD, as
 * two FC layers `<id>_dict` (D, no bias, linear) and `<id>_codes` (X, the
 * original bias and activation). X is stored dense with its zeros (the executor has
 * no sparse kernel). MACCs are counted densely, m·k + k·n, as the paper counts
 * them, unless `sparseMacc`: then m·k + nnz(X).
 * details: rank, sparsity, nonZeros, relativeErrorBefore (SVD dictionary + OMP),
 * relativeError (after the iterations), svdRelativeError (rank-k SVD, the floor at s = k).
 */
export function applyKsvdFc(spec: ModelSpec, weights: WeightSet, ref: LayerRef, params: TechniqueParams = {}): CompressionResult {
  const target = targetLayer('F2', spec, ref);
  checkFactorableFc(target);
  const reader = new ParamReader(target, params, KSVD_PARAMS);
  const { w } = fcMatrix(target, weights);
  const start = svd(w);
  const k = chooseRank(reader, start, target.fail);
  const s = reader.integer('sparsity', Math.ceil(k / 4), 1, k);
  const iterations = reader.integer('iterations', 3, 0, 50);
  const sparseMacc = reader.boolean('sparseMacc', false);
  const { d, x, errorBefore, errorAfter } = ksvd(w, start, k, s, iterations);
  const nonZeros = x.data.reduce((count, v) => count + (v === 0 ? 0 : 1), 0);
  const split = splitFc(target, spec, weights, d, x, ['dict', 'codes']);
  const norm = frobenius(w) || 1;
  const total = start.s.reduce((sum, v) => sum + v * v, 0);
  const kept = start.s.slice(0, k).reduce((sum, v) => sum + v * v, 0);
  const denseCodes = k * w.cols;
  return finishResult(target, {
    spec: split.spec,
    weights: split.weights,
    maccDiscount: sparseMacc ? denseCodes - nonZeros : 0,
    description: `F2 KSVD: fc "${target.layer.id}" (${w.rows} x ${w.cols}) into a dictionary ${split.ids[0]} (${w.rows} x ${k}) and sparse codes ${split.ids[1]} (${k} x ${w.cols}, at most ${s} non-zeros per column, ${nonZeros} of ${denseCodes} non-zero, stored dense); ${iterations} K-SVD iterations, relative error ${(errorAfter / norm).toFixed(4)}; MACCs counted ${sparseMacc ? 'by the non-zeros' : 'densely as in the paper'}.`,
    replacedLayerIds: [target.layer.id],
    newLayerIds: split.ids,
    details: {
      rank: k,
      sparsity: s,
      nonZeros,
      relativeErrorBefore: errorBefore / norm,
      relativeError: errorAfter / norm,
      svdRelativeError: Math.sqrt(Math.max(0, total - kept)) / norm,
    },
  });
}

export const KSVD_TECHNIQUE: Technique = {
  id: 'F2',
  name: 'KSVD',
  appliesTo: ['fc'],
  summary: 'Factorises an FC weight matrix into a dictionary and sparse codes (K-SVD) as two FC layers.',
  params: KSVD_PARAMS,
  check: (spec, ref) => checkFactorableFc(targetLayer('F2', spec, ref)),
  apply: applyKsvdFc,
};
