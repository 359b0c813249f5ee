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

/** A built-in base model with the data set's input shape and class count. */
export function builtinModel(name: BuiltinModelName, dataset: DatasetName): ModelSpec {
  const inputShape = DATASET_INPUT_SHAPES[dataset];
  const classes = DATASET_CLASSES[dataset];
  switch (name) {
    case 'vgg11':
      return vgg11(inputShape, classes);
    case 'alexnet':
      return alexnet(inputShape, classes);
    case 'resnet18':
      return resnet18(inputShape, classes);
  }
}
