/**
 * The inference runtime a profile was calibrated on: estimates hold only for models run by
 * the same runtime (ONNX Runtime fuses a conv with its batch norm and activation, TF.js does
 * not; their kernels differ), so profiles, searches, bundles and field tests keep it.
 */
export const RUNTIMES = ['tfjs-wasm', 'tfjs-node', 'onnxruntime', 'tflite', 'tensorrt'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** What a profile made before runtimes were recorded was calibrated on. */
export const DEFAULT_RUNTIME: Runtime = 'tfjs-wasm';

export function isRuntime(x: unknown): x is Runtime {
  return typeof x === 'string' && (RUNTIMES as readonly string[]).includes(x);
}

/** A profile's runtime; one without the field was calibrated on TF.js. */
export function runtimeOf(profile: { runtime?: Runtime }): Runtime {
  return profile.runtime ?? DEFAULT_RUNTIME;
}
