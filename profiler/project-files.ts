/**
 * Files of the studio's own source tree (builder entry points, the bench page's HTML,
 * its build output), found from the project root rather than from this module's own
 * URL: Electron's main process runs bundled into electron/dist, where module-relative
 * paths would point into the bundle's folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'edgetree-studio';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name;
      if (name === PACKAGE_NAME) return dir;
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} project root above ${from}`);
  }
}

let root: string | undefined;

/** An absolute path inside the project, e.g. projectFile('profiler', 'hosts', 'browser'). */
export function projectFile(...parts: string[]): string {
  root ??= findRoot(dirname(fileURLToPath(import.meta.url)));
  return join(root, ...parts);
}
