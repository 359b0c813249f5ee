#!/usr/bin/env node
// Bundles Electron's main process and preload with esbuild into CommonJS:
// electron/dist/main.cjs and electron/dist/preload.cjs. A sandboxed preload cannot
// load ES modules or node_modules, so it must be one CommonJS file. Native and
// platform packages stay external (resolved from node_modules at run time).
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  outExtension: { '.js': '.cjs' },
};

await build({
  ...common,
  entryPoints: { main: 'electron/main.ts' },
  outdir: 'electron/dist',
  // The main process loads its packages from node_modules (native ones cannot be bundled).
  packages: 'external',
});
await build({
  ...common,
  entryPoints: { preload: 'electron/preload.ts' },
  outdir: 'electron/dist',
  external: ['electron'],
});
console.log('built electron/dist/main.cjs and electron/dist/preload.cjs');
