/**
 * Prints the studio's own validation split for the training recipe, so PyTorch
 * never trains on the images the studio validates on: `npx tsx
 * recipes/pytorch/print-split.ts fashion-mnist|cifar10 [DIR]` writes JSON
 * `{ valIndices, files? }`: original indices of the official training set
 * (dnn/data/splits.ts), and for an image folder its files in the studio's order.
 */
import { relative } from 'node:path';
import { splitIndices } from '../../dnn/data/splits.ts';
import { defaultCifar10Dir } from '../../datasets/data-locations.ts';
import { listImageFolder } from '../../datasets/image-folder-listing.ts';

const [dataset, dir] = process.argv.slice(2);
if (dataset === 'fashion-mnist') {
  process.stdout.write(JSON.stringify({ valIndices: Array.from(splitIndices(60000, 'val')) }));
} else if (dataset === 'cifar10') {
  const root = dir ?? defaultCifar10Dir();
  const listing = listImageFolder(`${root}/train`);
  const files = listing.files.map((f) => relative(root, f.path));
  process.stdout.write(JSON.stringify({ valIndices: Array.from(splitIndices(files.length, 'val')), files }));
} else {
  process.stderr.write('usage: print-split.ts fashion-mnist|cifar10 [DIR]\n');
  process.exit(2);
}
