/** StudioApi over the browser-mode server: POST /api/<method> with the launch token. */
import { ApiCallError, isApiErrorBody } from '../api/api-error.ts';
import { STUDIO_METHODS } from '../api/studio-api.ts';
import type { StudioApi } from '../api/studio-api.ts';

const TOKEN_KEY = 'edgetree-token';

/**
 * The server prints a URL with `?token=`: keep the token in sessionStorage (it survives
 * a reload of this tab only) and strip it from the address bar and history.
 */
export function takeTokenFromAddressBar(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** `origin` is empty in the page (same-origin requests); tests in Node pass the server's. */
export function httpStudioApi(token: string, origin = ''): StudioApi {
  const entries = STUDIO_METHODS.map((method) => [method, async (request: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-edgetree-token': token },
        body: JSON.stringify(request),
      });
    } catch (err) {
      throw new ApiCallError(method, 'ConnectionError', `the studio server did not answer (${(err as Error).message}); is it still running?`);
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      if (isApiErrorBody(body)) throw new ApiCallError(method, body.error.name, body.error.message);
      throw new ApiCallError(method, 'HttpError', `${method}: the server answered ${res.status} ${res.statusText}`);
    }
    return body;
  }]);
  return Object.fromEntries(entries) as StudioApi;
}
