/**
 * The one entry point both transports (Electron IPC, browser-mode HTTP) use to turn
 * an untrusted (method, request) pair into a StudioApi call.
 */
import { UnknownMethodError } from './api-error.ts';
import { STUDIO_METHODS } from './studio-api.ts';
import type { StudioApi, StudioMethod } from './studio-api.ts';
import { validateRequest } from './validate-request.ts';

export function isStudioMethod(method: unknown): method is StudioMethod {
  return typeof method === 'string' && (STUDIO_METHODS as readonly string[]).includes(method);
}

export async function dispatchStudioCall(api: StudioApi, method: unknown, request: unknown): Promise<unknown> {
  if (!isStudioMethod(method)) throw new UnknownMethodError(method);
  const valid = validateRequest(method, request);
  // Each validator returns exactly its method's request type, so this call is well typed.
  const call = api[method] as (req: typeof valid) => Promise<unknown>;
  return call.call(api, valid);
}
