import type { InputShape, LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import { bn, conv, fc, relu } from './layer-builders.ts';

/**
 * The CIFAR ResNet-18 (He et al. 2016, as in the common CIFAR implementations):
 * 3x3 stride-1 stem with 64 channels, bn, relu; four stages of two basic blocks
 * with widths 64, 128, 256, 512; the first block of stages 2-4 has stride 2 and a
 * 1x1 stride-2 conv + bn projection shortcut; global average pool; fc classes.
 *
 * A basic block is listed as conv1, bn1, relu1, conv2, bn2, [proj, proj_bn], add, relu:
 * the shortcut layers come just before the add, so the block input stays live
 * (and crosses any cut) across the whole main path.
 */
/** Every conv is followed by bn, so, as in the reference implementation, convs have no bias. */
const NO_BIAS = { useBias: false };

export function resnet18(inputShape: InputShape, classes: number): ModelSpec {
  const layers: LayerSpec[] = [conv('stem_conv', 64, 3, 1, 1, NO_BIAS), bn('stem_bn'), relu('stem_relu')];
  let previous = 'stem_relu';
  let channels = 64;
  [64, 128, 256, 512].forEach((width, s) => {
    for (let b = 0; b < 2; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const p = `s${s + 1}b${b + 1}`;
      layers.push(
        conv(`${p}_conv1`, width, 3, stride, 1, { inputs: [previous], useBias: false }), bn(`${p}_bn1`), relu(`${p}_relu1`),
        conv(`${p}_conv2`, width, 3, 1, 1, NO_BIAS), bn(`${p}_bn2`),
      );
      let shortcut = previous;
      if (stride !== 1 || channels !== width) {
        layers.push(conv(`${p}_proj`, width, 1, stride, 0, { inputs: [previous], useBias: false }), bn(`${p}_proj_bn`));
        shortcut = `${p}_proj_bn`;
      }
      layers.push({ id: `${p}_add`, type: 'add', inputs: [`${p}_bn2`, shortcut] }, relu(`${p}_relu2`));
      previous = `${p}_relu2`;
      channels = width;
    }
  });
  layers.push({ id: 'gap', type: 'gap' }, fc('fc', classes));
  return { name: 'resnet18', inputShape, layers };
}
