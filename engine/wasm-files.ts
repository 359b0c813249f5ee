/**
 * The .wasm binaries of @tensorflow/tfjs-backend-wasm that a page must be able to
 * fetch (from node_modules/@tensorflow/tfjs-backend-wasm/dist/). The backend picks
 * one at start-up: plain, SIMD, or threaded SIMD (needs cross-origin isolation).
 */
export const TFJS_WASM_FILES: readonly string[] = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];
