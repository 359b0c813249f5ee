/**
 * The one way a device host (the calibration runner, the model runner, the runtime's Node
 * host) is told to run a given backend: EDGETREE_DEVICE_BACKEND, set by the transport that
 * starts it. `local:js` sets 'cpu' (TF.js's plain JavaScript backend, about 30x slower than
 * WASM here): a stand-in for a phone, chosen by name and reported as the backend, never a
 * silent fallback. Unset: the usual choice (tfjs-node, else WASM).
 */
export const DEVICE_BACKEND_ENV = 'EDGETREE_DEVICE_BACKEND';

export type ForcedBackend = 'tensorflow' | 'wasm' | 'cpu';

export class DeviceBackendEnvError extends Error {
  constructor(value: string) {
    super(`${DEVICE_BACKEND_ENV}="${value}" is not a backend: use tensorflow, wasm or cpu (or leave it unset)`);
    this.name = 'DeviceBackendEnvError';
  }
}

export function deviceBackendFromEnv(env: Readonly<Record<string, string | undefined>>): ForcedBackend | undefined {
  const v = env[DEVICE_BACKEND_ENV];
  if (v === undefined || v === '') return undefined;
  if (v === 'tensorflow' || v === 'wasm' || v === 'cpu') return v;
  throw new DeviceBackendEnvError(v);
}
