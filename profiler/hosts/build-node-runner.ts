/**
 * Bundles the Node runner into one folder that can be pushed to any device with Node
 * (a Jetson, a Raspberry Pi, this computer): a CommonJS file with TF.js and its WASM
 * backend inside, and the .wasm binaries beside it, where the runner points the backend.
 * No node_modules needed on the device.
 */
import { build } from 'esbuild';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tfjsWasmDir } from '../../engine/tfjs-backend.ts';
import { TFJS_WASM_FILES } from '../../engine/wasm-files.ts';
import { NODE_RUNNER_FILE } from './node-runner-file.ts';
import { projectFile } from '../project-files.ts';

export interface NodeRunnerBundle {
  dir: string;
  /** File names in `dir`: the runner first, then the .wasm binaries. */
  files: string[];
  bytes: number;
}

/** Builds the bundle into `outDir` (created if needed); the oldest Node it targets is 18. */
export async function buildNodeRunner(outDir: string): Promise<NodeRunnerBundle> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [projectFile('profiler', 'hosts', 'node-runner-main.ts')],
    outfile: join(outDir, NODE_RUNNER_FILE),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    minify: true,
    target: 'node18',
    // Native TF is optional: on a device that has it installed globally the runner may use it.
    external: ['@tensorflow/tfjs-node'],
    logLevel: 'error',
    // import.meta.url is only read when no .wasm folder is given; the bundle always gives one.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  const wasmDir = tfjsWasmDir();
  for (const f of TFJS_WASM_FILES) await copyFile(join(wasmDir, f), join(outDir, f));
  const files = [NODE_RUNNER_FILE, ...TFJS_WASM_FILES];
  let bytes = 0;
  for (const f of files) bytes += (await stat(join(outDir, f))).size;
  return { dir: outDir, files, bytes };
}
