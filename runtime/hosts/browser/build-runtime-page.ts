/**
 * Bundles the runtime page (runtime-page.ts with TF.js and the runtime core) for the
 * browser with esbuild, beside index.html and the TF.js .wasm binaries.
 */
import { buildBrowserPage } from '../../../engine/build-browser-page.ts';
import { projectFile } from '../../../profiler/project-files.ts';

export const RUNTIME_PAGE_SCRIPT = 'runtime-page.js';
/** Folder of the .wasm binaries inside the page folder (served at /runtime/tfjs-wasm/). */
export const RUNTIME_WASM_SUBDIR = 'tfjs-wasm';
export const RUNTIME_PAGE_DIST = projectFile('runtime', 'hosts', 'browser', 'dist');

const here = projectFile('runtime', 'hosts', 'browser');

/** Builds the page into `outDir` (default RUNTIME_PAGE_DIST, gitignored); returns the folder. */
export async function buildRuntimePage(outDir: string = RUNTIME_PAGE_DIST): Promise<string> {
  return buildBrowserPage({ sourceDir: here, entry: 'runtime-page.ts', outDir, script: RUNTIME_PAGE_SCRIPT, wasmSubdir: RUNTIME_WASM_SUBDIR });
}
