/** The runtimes the Node runner itself can time with (`--runtime`): TF.js (its backend by the device), or ONNX Runtime. */
export const RUNNER_RUNTIMES = ['tfjs', 'onnxruntime'] as const;
export type RunnerRuntime = (typeof RUNNER_RUNTIMES)[number];

export function isRunnerRuntime(x: string): x is RunnerRuntime {
  return (RUNNER_RUNTIMES as readonly string[]).includes(x);
}
