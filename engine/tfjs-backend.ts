/**
 * Chooses the TensorFlow.js backend for Node (the studio, the CLI, the Node runner
 * on a Linux board): native tfjs-node when it is installed, else WASM, never the
 * plain JavaScript 'cpu' backend unless the caller allows it. Timings taken on the
 * wrong backend would make a device look about 30x slower than it is.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describeBackend } from './backend-info.ts';
import type { BackendInfo } from './backend-info.ts';
import { BackendUnavailableError } from './backend-errors.ts';
import { isRunning } from './backend-running.ts';
import { TFJS_WASM_FILES } from './wasm-files.ts';
import { registerWasmTrainingKernels } from './wasm-kernels/register-wasm-training-kernels.ts';
import { compileWasmOptimisedUpFront } from './wasm-compile-flags.ts';

export interface InitTfjsBackendOptions {
  /** Which fast backend to try first (default 'tensorflow', then 'wasm'). */
  prefer?: 'tensorflow' | 'wasm';
  /** Accept the slow pure-JavaScript backend when no fast one starts (default false). */
  allowCpu?: boolean;
  /** Folder holding the .wasm files (default: the installed @tensorflow/tfjs-backend-wasm/dist/). */
  wasmDir?: string;
  /** Start exactly this backend or fail (a device host told so by engine/device-backend-env.ts); 'cpu' here is asked for by name. */
  only?: 'tensorflow' | 'wasm' | 'cpu';
}

/** tfjs-node is optional (its install downloads libtensorflow), so it is imported by a name tsc does not resolve. */
const TFJS_NODE_PACKAGE = '@tensorflow/tfjs-node';

/** The folder of the installed WASM backend's .wasm files, e.g. for a server that serves them to pages. */
export function tfjsWasmDir(): string {
  const require = createRequire(import.meta.url);
  // The package's main file lives in dist/, beside the .wasm binaries.
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

/**
 * Starts a backend and makes it tf's current one. Throws BackendUnavailableError,
 * naming each backend tried and why it failed, when no fast backend starts and
 * `allowCpu` is not set.
 */
export async function initTfjsBackend(opts: InitTfjsBackendOptions = {}): Promise<BackendInfo> {
  if (opts.only !== undefined) {
    const failure = opts.only === 'tensorflow' ? await tryTensorflow() : opts.only === 'wasm' ? await tryWasm(opts.wasmDir) : ((await tf.setBackend('cpu')) ? null : 'tf.setBackend("cpu") failed');
    if (failure !== null) throw new BackendUnavailableError([`${opts.only}: ${failure}`], `The ${opts.only} backend was asked for by name and did not start.`);
    return currentBackendInfo();
  }
  const order: ('tensorflow' | 'wasm')[] = opts.prefer === 'wasm' ? ['wasm', 'tensorflow'] : ['tensorflow', 'wasm'];
  const attempts: string[] = [];
  for (const name of order) {
    const failure = name === 'tensorflow' ? await tryTensorflow() : await tryWasm(opts.wasmDir);
    if (failure === null) return currentBackendInfo();
    attempts.push(`${name}: ${failure}`);
  }
  if (opts.allowCpu === true) {
    if (!(await tf.setBackend('cpu'))) throw new BackendUnavailableError([...attempts, 'cpu: tf.setBackend("cpu") failed'], 'Even the cpu backend did not start.');
    return currentBackendInfo();
  }
  throw new BackendUnavailableError(
    attempts,
    'The plain cpu backend is about 30x slower and would distort every timing, so it is not used unless allowed (allowCpu).',
  );
}

/** The BackendInfo of tf's current backend. */
export async function currentBackendInfo(): Promise<BackendInfo> {
  const name = tf.getBackend();
  if (!isRunning(name)) throw new BackendUnavailableError([`${String(name)}: chosen but failed to start`], 'Call the backend chooser first.');
  switch (name) {
    case 'wasm': {
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
      return describeBackend('wasm', simd, getThreadsCount());
    }
    case 'tensorflow':
      // libtensorflow sizes its own thread pool (inter/intra-op threads default to the core count).
      return describeBackend('tensorflow', false, (await import('node:os')).availableParallelism());
    case 'cpu':
    case 'webgl':
      return describeBackend(name, false, 1);
    default:
      throw new BackendUnavailableError([`${String(name)}: not a backend the studio knows`], 'Call initTfjsBackend() first.');
  }
}

/** Null when tfjs-node is now the backend, else why not. */
async function tryTensorflow(): Promise<string | null> {
  if (isRunning('tensorflow')) return null;
  try {
    await import(TFJS_NODE_PACKAGE);
  } catch (err) {
    const code = (err as { code?: string }).code;
    return code === 'ERR_MODULE_NOT_FOUND' ? `${TFJS_NODE_PACKAGE} is not installed` : `importing ${TFJS_NODE_PACKAGE} failed (${(err as Error).message})`;
  }
  return (await tf.setBackend('tensorflow')) ? null : 'the backend registered but did not start (see the warning above)';
}

/** Null when WASM is now the backend, else why not. */
async function tryWasm(wasmDir: string | undefined): Promise<string | null> {
  if (isRunning('wasm')) {
    registerWasmTrainingKernels();
    return null;
  }
  const dir = wasmDir ?? tfjsWasmDir();
  const missing = TFJS_WASM_FILES.filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) return `${missing.join(', ')} not found in ${dir}`;
  try {
    // The backend reads the binaries from this folder with fs in Node; the prefix needs its slash.
    if (wasmDir !== undefined) setWasmPaths(dir.endsWith('/') ? dir : `${dir}/`);
  } catch (err) {
    return `a previous start failed and the WASM backend cannot be retried in this process (${(err as Error).message})`;
  }
  compileWasmOptimisedUpFront();
  if (!(await tf.setBackend('wasm'))) return `the .wasm binaries in ${dir} did not load (see the warning above)`;
  // As shipped, WASM cannot train (no conv filter gradient); see engine/wasm-kernels/.
  registerWasmTrainingKernels();
  return null;
}
