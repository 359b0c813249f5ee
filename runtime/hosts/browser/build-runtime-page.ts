/**
 * Bundles the runtime page (runtime-page.ts with TF.js and the runtime core) for the
 * browser with esbuild, beside index.html and the TF.js .wasm binaries.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { tfjsWasmDir } from '../../../engine/tfjs-backend.ts';
import { TFJS_WASM_FILES } from '../../../engine/wasm-files.ts';
import { projectFile } from '../../../profiler/project-files.ts';

export const RUNTIME_PAGE_SCRIPT = 'runtime-page.js';
/** Folder of the .wasm binaries inside the page folder (served at /runtime/tfjs-wasm/). */
export const RUNTIME_WASM_SUBDIR = 'tfjs-wasm';
export const RUNTIME_PAGE_DIST = projectFile('runtime', 'hosts', 'browser', 'dist');

const here = projectFile('runtime', 'hosts', 'browser');

/** Builds the page into `outDir` (default RUNTIME_PAGE_DIST, gitignored); returns the folder. */
export async function buildRuntimePage(outDir: string = RUNTIME_PAGE_DIST): Promise<string> {
  await mkdir(join(outDir, RUNTIME_WASM_SUBDIR), { recursive: true });
  await build({
    entryPoints: [join(here, 'runtime-page.ts')],
    outfile: join(outDir, RUNTIME_PAGE_SCRIPT),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    // WASM SIMD needs Chrome 91+.
    target: 'chrome91',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  await copyFile(join(here, 'index.html'), join(outDir, 'index.html'));
  for (const f of TFJS_WASM_FILES) await copyFile(join(tfjsWasmDir(), f), join(outDir, RUNTIME_WASM_SUBDIR, f));
  return outDir;
}
