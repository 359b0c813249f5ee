/** Data sets the studio knows, and the model input each implies. */
import type { InputShape } from '../spec/layer-spec.ts';

export type DatasetName = 'cifar10' | 'fashion-mnist';
export const DATASETS: readonly DatasetName[] = ['cifar10', 'fashion-mnist'];

/** CIFAR-10 is 32x32 RGB; Fashion-MNIST's 28x28 greyscale images are zero-padded to 32x32. */
export const DATASET_INPUT_SHAPES: Readonly<Record<DatasetName, InputShape>> = {
  cifar10: [32, 32, 3],
  'fashion-mnist': [32, 32, 1],
};

export const DATASET_CLASSES: Readonly<Record<DatasetName, number>> = {
  cifar10: 10,
  'fashion-mnist': 10,
};

export function isDatasetName(value: unknown): value is DatasetName {
  return typeof value === 'string' && (DATASETS as readonly string[]).includes(value);
}
