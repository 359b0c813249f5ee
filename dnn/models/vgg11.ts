import type { InputShape, LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import { bn, conv, fc, maxpool, relu } from './layer-builders.ts';

/** VGG-11 (configuration A) widths; 'M' is a 2x2 stride-2 max-pool. */
const VGG11_CONFIG: readonly (number | 'M')[] = [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'];

/**
 * VGG-11 for 32x32 inputs: 3x3 stride-1 padding-1 convs each followed by bn and
 * relu, five max-pools (32 -> 1), flatten, fc 512, relu, fc 512, relu, fc classes.
 * No dropout layers: they would add nothing to MACCs or shapes. `width` scales
 * every conv and the two hidden FCs (0.5: the studio's trained vgg11, models/README.md).
 */
export function vgg11(inputShape: InputShape, classes: number, width = 1): ModelSpec {
  const scaled = (n: number): number => Math.round(n * width);
  const layers: LayerSpec[] = [];
  let convIndex = 0;
  let poolIndex = 0;
  for (const item of VGG11_CONFIG) {
    if (item === 'M') {
      poolIndex += 1;
      layers.push(maxpool(`pool${poolIndex}`, 2, 2, 0));
    } else {
      convIndex += 1;
      layers.push(conv(`conv${convIndex}`, scaled(item), 3, 1, 1), bn(`bn${convIndex}`), relu(`relu${convIndex}`));
    }
  }
  layers.push(
    { id: 'flatten', type: 'flatten' },
    fc('fc1', scaled(512)), relu('fc1_relu'),
    fc('fc2', scaled(512)), relu('fc2_relu'),
    fc('fc3', classes),
  );
  return { name: 'vgg11', inputShape, layers };
}
