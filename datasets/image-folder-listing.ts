/**
 * The files of an image folder: one sub-folder per class (class = sub-folder name, classes
 * sorted), images .jpg/.jpeg/.png inside, sorted by name. The folder's order, which its
 * `limit` and its splits' "original index" refer to, takes the classes in turn: the first
 * image of each class, then the second of each, and so on (a class that runs out drops
 * out), so any prefix of a folder holds every class in about equal numbers.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DatasetError } from '../dnn/data/dataset-error.ts';
import { IMAGE_EXTENSIONS } from './decode-image.ts';

export interface FolderFile {
  path: string;
  label: number;
  size: number;
  mtimeMs: number;
}

export interface FolderListing {
  dir: string;
  classes: string[];
  /** In the folder's order (classes in turn). */
  files: FolderFile[];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function listImageFolder(dir: string): FolderListing {
  if (!existsSync(dir)) throw new DatasetError(dir, 'image folder not found');
  if (!statSync(dir).isDirectory()) throw new DatasetError(dir, 'is a file; an image folder holds one sub-folder of images per class');
  const classes = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byName);
  if (classes.length === 0) throw new DatasetError(dir, 'holds no class sub-folders; an image folder holds one sub-folder of images per class (e.g. cat/0001.jpg)');
  if (classes.length > 256) throw new DatasetError(dir, `holds ${classes.length} class sub-folders; labels are bytes, at most 256 classes`);
  const perClass = classes.map((name, label) => {
    const classDir = join(dir, name);
    const names = readdirSync(classDir).filter((f) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase())).sort(byName);
    if (names.length === 0) throw new DatasetError(classDir, `class folder holds no images (${IMAGE_EXTENSIONS.join(', ')})`);
    return names.map((f): FolderFile => {
      const path = join(classDir, f);
      const st = statSync(path);
      return { path, label, size: st.size, mtimeMs: st.mtimeMs };
    });
  });
  const files: FolderFile[] = [];
  const longest = Math.max(...perClass.map((l) => l.length));
  for (let k = 0; k < longest; k++) for (const list of perClass) if (k < list.length) files.push(list[k]);
  return { dir, classes, files };
}
