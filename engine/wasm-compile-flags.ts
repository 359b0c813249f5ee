/**
 * V8 compiles WebAssembly in two tiers: a quick baseline (Liftoff) first, then optimised
 * code (TurboFan) for functions that get hot, in a background thread. Whether and when a
 * process's hot kernels tier up varies from process to process: fresh runner processes
 * timed the same conv 1.4x (depthwise 1.9x) apart, and calibrations that run a chunk of
 * cases per process disagreed by as much. Compiling every function with TurboFan up front
 * makes each process's code the same, at a start-up cost of well under a second.
 * Set before the first WebAssembly module compiles; has no effect afterwards.
 * EDGETREE_WASM_TIERS=v8 keeps V8's own tiering (for comparison runs).
 */
import v8 from 'node:v8';

let applied = false;

export function compileWasmOptimisedUpFront(env: NodeJS.ProcessEnv = process.env): void {
  if (applied || env.EDGETREE_WASM_TIERS === 'v8') return;
  applied = true;
  v8.setFlagsFromString('--no-liftoff');
  v8.setFlagsFromString('--no-wasm-tier-up');
}
