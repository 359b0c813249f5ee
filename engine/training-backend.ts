/**
 * The check training code runs before a training step: the current backend must
 * be a fast one that can train (wasm with the studio's gradient kernels, or
 * tfjs-node). Training on the plain cpu backend takes about 30x longer, so it is
 * refused unless the caller allows it; the returned BackendInfo says what runs.
 */
import { currentBackendInfo } from './tfjs-backend.ts';
import type { BackendInfo } from './backend-info.ts';
import { registerWasmTrainingKernels } from './wasm-kernels/register-wasm-training-kernels.ts';

export interface TrainingBackendOptions {
  /** Accept the slow pure-JavaScript cpu backend (default false). */
  allowCpu?: boolean;
}

/** Training was asked to run on a backend the caller did not allow. */
export class TrainingBackendError extends Error {
  constructor(backend: string) {
    super(
      `training refuses to run on the ${backend} backend: it is about 30x slower than wasm. ` +
      'Start a fast one with initTfjsBackend(), or pass allowCpu: true to accept it.',
    );
    this.name = 'TrainingBackendError';
  }
}

/** The backend training will run on; throws TrainingBackendError for cpu without allowCpu. */
export async function requireTrainingBackend(opts: TrainingBackendOptions = {}): Promise<BackendInfo> {
  const info = await currentBackendInfo();
  if (info.name === 'cpu' && opts.allowCpu !== true) throw new TrainingBackendError(info.description);
  if (info.name === 'wasm') registerWasmTrainingKernels();
  return info;
}
