#!/usr/bin/env node
// Bundles Electron's main process and preload with esbuild: the main process as an ES
// module (electron/dist/main.mjs; the studio's code uses import.meta and top-level
// await), the preload as CommonJS (electron/dist/preload.cjs: a sandboxed preload cannot
// load ES modules or node_modules, so it must be one CommonJS file). Native and platform
// packages stay external (resolved from node_modules at run time).
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...common,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  entryPoints: { main: 'electron/main.ts' },
  outdir: 'electron/dist',
  // The main process loads its packages from node_modules (native ones cannot be bundled).
  packages: 'external',
});
await build({
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  entryPoints: { preload: 'electron/preload.ts' },
  outdir: 'electron/dist',
  external: ['electron'],
});
console.log('built electron/dist/main.mjs and electron/dist/preload.cjs');
