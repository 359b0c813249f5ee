/**
 * Bundles the browser runner page (bench-page.ts with TF.js and the runner core) for
 * the browser with esbuild, beside index.html and the TF.js .wasm binaries, into
 * profiler/hosts/browser/dist/ (gitignored). `npm run build:bench-page` runs it (scripts/build-bench-page.ts).
 */
import { buildBrowserPage } from '../../../engine/build-browser-page.ts';
import { BENCH_PAGE_DIST, BENCH_PAGE_SCRIPT, WASM_SUBDIR } from './bench-page-files.ts';
import { projectFile } from '../../project-files.ts';

const here = projectFile('profiler', 'hosts', 'browser');

/** Builds the page into `outDir` (default BENCH_PAGE_DIST); returns the folder. */
export async function buildBenchPage(outDir: string = BENCH_PAGE_DIST): Promise<string> {
  return buildBrowserPage({ sourceDir: here, entry: 'bench-page.ts', outDir, script: BENCH_PAGE_SCRIPT, wasmSubdir: WASM_SUBDIR });
}
