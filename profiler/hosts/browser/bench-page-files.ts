/** Where the built browser runner page lives and the names of its files. */
import { projectFile } from '../../project-files.ts';

export const BENCH_PAGE_DIST = projectFile('profiler', 'hosts', 'browser', 'dist');
export const BENCH_PAGE_SCRIPT = 'bench-page.js';
/** Folder of the TF.js .wasm binaries inside the dist folder and under /bench/ on the server. */
export const WASM_SUBDIR = 'tfjs-wasm';
