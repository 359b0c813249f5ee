/**
 * Which TensorFlow.js backend runs the studio's layers, in words a user reads next
 * to every timing. Shared by the Node and browser backend choosers; no I/O.
 */

export type BackendName = 'tensorflow' | 'wasm' | 'webgl' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** WASM SIMD in use (false for the other backends). */
  simd: boolean;
  /** Worker threads the backend computes with (1 for single-threaded WASM and the plain cpu backend). */
  threads: number;
  /** E.g. "wasm (SIMD, 1 thread)", "cpu (slow, about 30x slower than wasm)". */
  description: string;
}

/** Builds the BackendInfo, with its description, for a backend that is running. */
export function describeBackend(name: BackendName, simd: boolean, threads: number): BackendInfo {
  return { name, simd, threads, description: backendDescription(name, simd, threads) };
}

function backendDescription(name: BackendName, simd: boolean, threads: number): string {
  const threadWords = `${threads} thread${threads === 1 ? '' : 's'}`;
  switch (name) {
    case 'wasm':
      return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threadWords})`;
    case 'tensorflow':
      return 'tensorflow (native libtensorflow through @tensorflow/tfjs-node)';
    case 'webgl':
      return 'webgl (GPU)';
    case 'cpu':
      // Measured here: the plain JavaScript backend is about 30x slower than WASM SIMD.
      return 'cpu (slow, about 30x slower than wasm)';
  }
}
