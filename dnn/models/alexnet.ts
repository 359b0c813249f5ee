import type { InputShape, ModelSpec } from '../spec/layer-spec.ts';
import { conv, fc, maxpool, relu } from './layer-builders.ts';

/**
 * The "AlexNet" of TensorFlow's CIFAR-10 tutorial (cifar10.py): conv 5x5 64 'same'
 * + relu, max-pool 3x3 stride 2 'same', conv 5x5 64 'same' + relu, max-pool 3x3
 * stride 2 'same', flatten, fc 384 + relu, fc 192 + relu, fc classes.
 * The tutorial's two local response normalisation layers are left out: the
 * studio has no LRN type and the paper counts only conv and FC MACCs. The
 * tutorial crops images to 24x24; here the input is the data set's full 32x32.
 */
/** `width` scales the convs and the two hidden FCs. */
export function alexnet(inputShape: InputShape, classes: number, width = 1): ModelSpec {
  const scaled = (n: number): number => Math.round(n * width);
  return {
    name: 'alexnet',
    inputShape,
    layers: [
      conv('conv1', scaled(64), 5, 1, 'same'), relu('relu1'),
      maxpool('pool1', 3, 2, 'same'),
      conv('conv2', scaled(64), 5, 1, 'same'), relu('relu2'),
      maxpool('pool2', 3, 2, 'same'),
      { id: 'flatten', type: 'flatten' },
      fc('fc1', scaled(384)), relu('fc1_relu'),
      fc('fc2', scaled(192)), relu('fc2_relu'),
      fc('fc3', classes),
    ],
  };
}
