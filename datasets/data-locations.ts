/** Where the studio looks for its data sets and keeps their decoded cache. */
import { join } from 'node:path';
import { projectFile } from '../profiler/project-files.ts';
import { resolveHome } from '../profiles/home.ts';

/** Debian's `dataset-fashion-mnist` package installs the four gzipped IDX files here. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** CIFAR-10 as JPEG class folders, in the shared data beside the checkout. */
export function defaultCifar10Dir(): string {
  return projectFile('..', 'shared', 'data', 'cifar10');
}

/** Decoded image folders are cached under the studio home: `$EDGETREE_HOME/cache/datasets`. */
export function defaultDatasetCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolveHome(env), 'cache', 'datasets');
}
