import type { ModelSpec } from '../spec/layer-spec.ts';
import { DATASET_CLASSES, DATASET_INPUT_SHAPES } from './datasets.ts';
import type { DatasetName } from './datasets.ts';
import { vgg11 } from './vgg11.ts';
import { alexnet } from './alexnet.ts';
import { resnet18 } from './resnet18.ts';

export type BuiltinModelName = 'vgg11' | 'alexnet' | 'resnet18';

export const BUILTIN_MODEL_NAMES: readonly BuiltinModelName[] = ['vgg11', 'alexnet', 'resnet18'];

export function isBuiltinModelName(x: unknown): x is BuiltinModelName {
  return typeof x === 'string' && (BUILTIN_MODEL_NAMES as readonly string[]).includes(x);
}

export interface BuiltinModelOptions {
  /** Multiplies the channels of every conv and hidden FC (vgg11 and alexnet; default 1). */
  width?: number;
}

/** A built-in base model with the data set's input shape and class count. */
export function builtinModel(name: BuiltinModelName, dataset: DatasetName, opts: BuiltinModelOptions = {}): ModelSpec {
  const width = opts.width ?? 1;
  if (!(width > 0 && width <= 4)) throw new RangeError(`model ${name}: width ${width} is not in (0, 4]`);
  if (width !== 1 && name === 'resnet18') throw new RangeError('model resnet18: only width 1 is built in');
  const inputShape = DATASET_INPUT_SHAPES[dataset];
  const classes = DATASET_CLASSES[dataset];
  switch (name) {
    case 'vgg11':
      return vgg11(inputShape, classes, width);
    case 'alexnet':
      return alexnet(inputShape, classes, width);
    case 'resnet18':
      return resnet18(inputShape, classes);
  }
}
