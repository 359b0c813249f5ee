/**
 * Chooses the TensorFlow.js backend in a browser page (the phone's own browser,
 * headless Chromium in tests): WebGL when the page gets a GPU context, else WASM
 * with its binaries fetched from the studio, never the plain 'cpu' backend unless
 * the caller allows it. Pure of Node: bundled into the runner page.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { describeBackend } from './backend-info.ts';
import type { BackendInfo } from './backend-info.ts';
import { BackendUnavailableError } from './backend-errors.ts';
import { isRunning } from './backend-running.ts';

export { TFJS_WASM_FILES } from './wasm-files.ts';

export interface InitBrowserBackendOptions {
  /** URL prefix the page fetches the TFJS_WASM_FILES from, e.g. "/tfjs-wasm/" (ends with a slash). */
  wasmPrefix: string;
  /** Which fast backend to try first (default 'webgl', then 'wasm'). */
  prefer?: 'webgl' | 'wasm';
  /** Accept the slow pure-JavaScript backend when no fast one starts (default false). */
  allowCpu?: boolean;
}

/** Starts a backend in the page; throws BackendUnavailableError naming what failed unless `allowCpu`. */
export async function initBrowserBackend(opts: InitBrowserBackendOptions): Promise<BackendInfo> {
  const order: ('webgl' | 'wasm')[] = opts.prefer === 'wasm' ? ['wasm', 'webgl'] : ['webgl', 'wasm'];
  const attempts: string[] = [];
  for (const name of order) {
    const failure = name === 'webgl' ? await tryWebgl() : await tryWasm(opts.wasmPrefix);
    if (failure === null) return browserBackendInfo();
    attempts.push(`${name}: ${failure}`);
  }
  if (opts.allowCpu === true && (await tf.setBackend('cpu'))) return browserBackendInfo();
  throw new BackendUnavailableError(
    attempts,
    'The plain cpu backend is about 30x slower and would distort every timing, so it is not used unless allowed (allowCpu).',
  );
}

/** The BackendInfo of the page's current backend. */
export async function browserBackendInfo(): Promise<BackendInfo> {
  const name = tf.getBackend();
  if (!isRunning(name)) throw new BackendUnavailableError([`${String(name)}: chosen but failed to start`], 'Call the backend chooser first.');
  if (name === 'wasm') {
    return describeBackend('wasm', (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true, getThreadsCount());
  }
  if (name === 'webgl' || name === 'cpu') return describeBackend(name, false, 1);
  throw new BackendUnavailableError([`${String(name)}: not a browser backend the studio knows`], 'Call initBrowserBackend() first.');
}

async function tryWebgl(): Promise<string | null> {
  if (isRunning('webgl')) return null;
  if (tf.findBackendFactory('webgl') === null) return 'not registered in this bundle';
  return (await tf.setBackend('webgl')) ? null : 'no WebGL context (see the warning in the console)';
}

async function tryWasm(prefix: string): Promise<string | null> {
  if (isRunning('wasm')) return null;
  try {
    setWasmPaths(prefix.endsWith('/') ? prefix : `${prefix}/`);
  } catch (err) {
    return `a previous start failed and the WASM backend cannot be retried in this page (${(err as Error).message})`;
  }
  return (await tf.setBackend('wasm')) ? null : `the .wasm binaries at ${prefix} did not load (see the warning in the console)`;
}
