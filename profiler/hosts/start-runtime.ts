/**
 * Starts what a Node runner times with: TF.js on a fast backend (the device's, or the one
 * asked for by name), and, for `--runtime onnxruntime`, ONNX Runtime beside it. TF.js starts
 * for ONNX Runtime too: the speed reference is TF.js's, the device's speed whatever the runtime.
 */
import { deviceBackendFromEnv } from '../../engine/device-backend-env.ts';
import { initTfjsBackend } from '../../engine/tfjs-backend.ts';
import { BackendUnavailableError } from '../../engine/backend-errors.ts';
import { loadOrt, ortBackend, RuntimeUnavailableError } from './ort-host.ts';
import type { RunnerRuntime } from './runner-runtime.ts';

export type StartedRuntime = { backend: string; ort: ReturnType<typeof loadOrt> | null } | { error: string };

export async function startRuntime(opts: { prefer: 'wasm' | 'tensorflow'; wasmDir: string | undefined; runtime: RunnerRuntime | undefined }): Promise<StartedRuntime> {
  try {
    const tfjs = (await initTfjsBackend({ prefer: opts.prefer, wasmDir: opts.wasmDir, only: deviceBackendFromEnv(process.env) })).description;
    if (opts.runtime !== 'onnxruntime') return { backend: tfjs, ort: null };
    const ort = loadOrt();
    return { backend: ortBackend(ort), ort };
  } catch (e) {
    return { error: e instanceof BackendUnavailableError || e instanceof RuntimeUnavailableError ? e.message : `edgetree-runner: the compute backend did not start: ${(e as Error).message}` };
  }
}
