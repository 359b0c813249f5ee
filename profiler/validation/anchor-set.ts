/**
 * Anchor models: a few whole models a calibration times after its layer cases, in the
 * same way a validation times models, to correct the layer lines for what single-layer
 * micro-benchmarks miss (each layer inside a model runs after another, on activations
 * and weights a benchmark loop would have kept hot, with the model's dispatch between
 * them). Built from the same families as the validation set but with other widths and
 * layer choices, so no anchor is a validation model: the validation stays out of sample.
 */
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { builtinModel } from '../../dnn/models/builtin.ts';
import { resnetWithBlocks } from './resnet-blocks.ts';
import { vggWithConvs, withDepthwiseSeparable, withFcWidths, withWidth } from './validation-set.ts';

export function anchorModels(): ModelSpec[] {
  const vgg = builtinModel('vgg11', 'cifar10');
  const alex = builtinModel('alexnet', 'cifar10');
  const res10 = resnetWithBlocks(1, '');
  return [
    withWidth(vgg, 0.375, 'anchor-vgg11-w0.375'),
    withWidth(alex, 0.75, 'anchor-alexnet-w0.75'),
    withWidth(res10, 0.375, 'anchor-resnet10-w0.375'),
    withDepthwiseSeparable(withWidth(vgg, 0.75, ''), 'anchor-vgg11-w0.75-dws'),
    withDepthwiseSeparable(withWidth(alex, 0.5, ''), 'anchor-alexnet-w0.5-dws'),
    withDepthwiseSeparable(withWidth(res10, 0.75, ''), 'anchor-resnet10-w0.75-dws'),
    withWidth(vggWithConvs([1, 2, 4, 6, 8], ''), 0.625, 'anchor-vgg8b-w0.625'),
    withFcWidths(withWidth(alex, 0.375, ''), [512, 32], 'anchor-alexnet-w0.375-fc'),
  ];
}
