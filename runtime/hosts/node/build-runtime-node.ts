/**
 * Bundles the runtime's Node host into one folder to push to any device with Node: an ES
 * module with TF.js, its WASM backend and the runtime inside, and the .wasm binaries beside
 * it, where the host points the backend. No node_modules needed on the device.
 */
import { build } from 'esbuild';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tfjsWasmDir } from '../../../engine/tfjs-backend.ts';
import { TFJS_WASM_FILES } from '../../../engine/wasm-files.ts';
import { projectFile } from '../../../profiler/project-files.ts';

export const RUNTIME_NODE_FILE = 'runtime-node.mjs';

export interface RuntimeNodeBuild {
  dir: string;
  /** File names in `dir`: the host first, then the .wasm binaries. */
  files: string[];
  bytes: number;
}

/** Builds into `outDir` (created if needed); targets Node 18 and later. */
export async function buildRuntimeNode(outDir: string): Promise<RuntimeNodeBuild> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [projectFile('runtime', 'hosts', 'node', 'runtime-node-main.ts')],
    outfile: join(outDir, RUNTIME_NODE_FILE),
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    target: 'node18',
    // CommonJS parts of TF.js (the WASM loader) use require and __dirname; an ES module has neither unless given them.
    banner: {
      js: [
        "import { createRequire as __etRequire } from 'node:module';",
        "import { fileURLToPath as __etPath } from 'node:url';",
        "import { dirname as __etDir } from 'node:path';",
        'const require = __etRequire(import.meta.url);',
        'const __filename = __etPath(import.meta.url);',
        'const __dirname = __etDir(__filename);',
      ].join(' '),
    },
    external: ['@tensorflow/tfjs-node'],
    logLevel: 'error',
  });
  const wasmDir = tfjsWasmDir();
  for (const f of TFJS_WASM_FILES) await copyFile(join(wasmDir, f), join(outDir, f));
  const files = [RUNTIME_NODE_FILE, ...TFJS_WASM_FILES];
  let bytes = 0;
  for (const f of files) bytes += (await stat(join(outDir, f))).size;
  return { dir: outDir, files, bytes };
}
