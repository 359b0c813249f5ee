/**
 * The device side of an offload: POSTs the tensors crossing a cut to a cloud
 * server and returns the model's output. Uses only fetch and AbortSignal (no
 * Node imports), so the runtime's browser host can bundle it as it is.
 */
import { encodeOffloadRequest } from '../api/offload/offload-request.ts';
import type { OffloadRequest } from '../api/offload/offload-request.ts';
import { decodeOffloadResponse } from '../api/offload/offload-response.ts';
import { OffloadAbortedError, OffloadServerError, OffloadTimeoutError, OffloadUnreachableError } from './offload-errors.ts';

export interface OffloadOptions {
  /** The whole exchange (connect, upload, compute, download) must finish within this time (default 30 000 ms). */
  timeoutMs?: number;
  /** Cancels the request; the promise rejects with OffloadAbortedError. */
  signal?: AbortSignal;
}

export interface OffloadResponse {
  /** The model's output, [N, classes] values row by row. */
  logits: Float32Array;
  shape: number[];
  /** The server's own compute time. */
  cloudMs: number;
  /** From sending the request to the last byte of the answer, as the device saw it. */
  roundTripMs: number;
  /** The backend that ran the cloud layers. */
  backend: string;
}

/**
 * Sends one offload request to `url` (the server's base URL, e.g.
 * http://10.0.0.2:8470). Throws OffloadUnreachableError, OffloadTimeoutError,
 * OffloadAbortedError or OffloadServerError (any non-200 answer, with its status
 * and the server's message), or OffloadProtocolError for a malformed request or answer.
 */
export async function offloadInference(url: string, token: string, request: OffloadRequest, opts: OffloadOptions = {}): Promise<OffloadResponse> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const body = encodeOffloadRequest(request);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const endpoint = `${url.replace(/\/+$/, '')}/v1/infer`;
  const start = performance.now();
  let bytes: Uint8Array;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
      body,
      signal,
    });
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    if (opts.signal?.aborted) throw new OffloadAbortedError(url);
    if (timeout.aborted) throw new OffloadTimeoutError(url, timeoutMs);
    throw new OffloadUnreachableError(url, describeFetchFailure(err));
  }
  const roundTripMs = performance.now() - start;
  if (response.status !== 200) {
    const retry = Number(response.headers.get('retry-after') ?? '');
    throw new OffloadServerError(url, response.status, serverMessage(bytes), Number.isFinite(retry) && retry > 0 ? retry : undefined);
  }
  const result = decodeOffloadResponse(bytes);
  return { logits: result.logits, shape: result.shape, cloudMs: result.cloudMs, roundTripMs, backend: result.backend };
}

/** The {error} text of an error answer, or its first bytes when it is not that JSON. */
function serverMessage(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes.subarray(0, 2000));
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.length > 0 ? text.slice(0, 200) : '(empty body)';
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is in its cause. */
function describeFetchFailure(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? 'request failed'} (${cause})` : (e.message ?? String(err));
}
