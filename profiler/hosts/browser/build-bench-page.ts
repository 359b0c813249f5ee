/**
 * Bundles the browser runner page (bench-page.ts with TF.js and the runner core) for
 * the browser with esbuild, beside index.html and the TF.js .wasm binaries, into
 * profiler/hosts/browser/dist/ (gitignored). `npm run build:bench-page` runs it (scripts/build-bench-page.ts).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { TFJS_WASM_FILES } from '../../../engine/wasm-files.ts';
import { BENCH_PAGE_DIST, BENCH_PAGE_SCRIPT, WASM_SUBDIR } from './bench-page-files.ts';
import { projectFile } from '../../project-files.ts';

const here = projectFile('profiler', 'hosts', 'browser');

/** Builds the page into `outDir` (default BENCH_PAGE_DIST); returns the folder. */
export async function buildBenchPage(outDir: string = BENCH_PAGE_DIST): Promise<string> {
  await mkdir(join(outDir, WASM_SUBDIR), { recursive: true });
  await build({
    entryPoints: [join(here, 'bench-page.ts')],
    outfile: join(outDir, BENCH_PAGE_SCRIPT),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    // Chrome on phones from 2020 on; WASM SIMD needs Chrome 91+ anyway.
    target: 'chrome91',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  await copyFile(join(here, 'index.html'), join(outDir, 'index.html'));
  const wasmDir = dirname(createRequire(join(here, 'index.html')).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  for (const f of TFJS_WASM_FILES) await copyFile(join(wasmDir, f), join(outDir, WASM_SUBDIR, f));
  return outDir;
}

