/** StudioApi over the Electron preload's bridge: unwraps `{ result }`, re-throws `{ error }`. */
import { ApiCallError, isApiErrorBody } from '../api/api-error.ts';
import { STUDIO_METHODS } from '../api/studio-api.ts';
import type { StudioApi } from '../api/studio-api.ts';
import type { StudioBridge } from '../api/studio-bridge.ts';

export function bridgeStudioApi(bridge: StudioBridge): StudioApi {
  const entries = STUDIO_METHODS.map((method) => [method, async (request: unknown) => {
    const reply = await bridge[method](request);
    if (isApiErrorBody(reply)) throw new ApiCallError(method, reply.error.name, reply.error.message);
    return reply.result;
  }]);
  return Object.fromEntries(entries) as StudioApi;
}
