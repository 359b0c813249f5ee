/**
 * Bundles a TF.js browser page for phones (esbuild, ESM, Chrome 91+ for WASM SIMD),
 * copies its index.html, and copies the WASM backend's binaries beside it: what the
 * profiler's bench page and the runtime's page both need.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { TFJS_WASM_FILES } from './wasm-files.ts';

export interface BrowserPageBuild {
  /** Folder holding `<entry>` and `index.html`. */
  sourceDir: string;
  entry: string;
  outDir: string;
  script: string;
  wasmSubdir: string;
}

export async function buildBrowserPage(o: BrowserPageBuild): Promise<string> {
  await mkdir(join(o.outDir, o.wasmSubdir), { recursive: true });
  await build({
    entryPoints: [join(o.sourceDir, o.entry)],
    outfile: join(o.outDir, o.script),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    // Chrome on phones from 2020 on; WASM SIMD needs Chrome 91+ anyway.
    target: 'chrome91',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  await copyFile(join(o.sourceDir, 'index.html'), join(o.outDir, 'index.html'));
  // Resolved from the page's own folder, not this module's URL: Electron's main runs bundled elsewhere.
  const wasmDir = dirname(createRequire(join(o.sourceDir, 'index.html')).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  for (const f of TFJS_WASM_FILES) await copyFile(join(wasmDir, f), join(o.outDir, o.wasmSubdir, f));
  return o.outDir;
}
