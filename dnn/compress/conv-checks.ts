import type { TargetLayer } from './target-layer.ts';
import { requireType } from './target-layer.ts';

/** Keras's BatchNormalization epsilon, as the executor applies it (dnn/tfjs/layer-op.ts BN_EPSILON). */
export const BN_EPSILON = 1e-3;

/** The layer is an ordinary (ungrouped) conv; with `spatial`, its kernel is larger than 1x1. */
export function checkPlainConv(target: TargetLayer, spatial: boolean, why: string): void {
  requireType(target, ['conv'], why);
  const { layer } = target;
  if ((layer.groups ?? 1) !== 1) target.fail(`the conv has ${layer.groups} groups; only an ordinary conv (groups 1) is replaced`);
  if (spatial && (layer.kernel ?? 1) < 2) target.fail(`the kernel is 1x1: there is no spatial filter to split into a depthwise conv (${why})`);
}

/** [H, W, C] of the layer's input and output. */
export function convShapes(target: TargetLayer): { input: readonly number[]; output: readonly number[]; cIn: number; cOut: number; k: number } {
  const input = target.analysis.inputShapes[0];
  const output = target.analysis.outputShape;
  return { input, output, cIn: input[2], cOut: output[2], k: target.layer.kernel ?? 1 };
}
