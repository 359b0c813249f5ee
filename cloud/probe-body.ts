/**
 * The body of a bandwidth probe (POST /v1/probe): counted and dropped as it arrives, never
 * stored. The device times the upload; the answer only confirms how many bytes came.
 */
import type { IncomingMessage } from 'node:http';
import { CloudRequestError } from './cloud-request-error.ts';

/** Largest probe body: a probe is meant to be short (the runtime sends 16 KiB). */
export const PROBE_MAX_BYTES = 1024 * 1024;

/** Resolves with the bytes read once the body ends; 400 when it is not the declared length, 408 when it stalls. */
export function drainProbeBody(req: IncomingMessage, contentLength: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new CloudRequestError(408, `probe body incomplete after ${timeoutMs} ms (${bytes} of ${contentLength} bytes)`));
    }, timeoutMs);
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      clearTimeout(timer);
      if (bytes !== contentLength) reject(new CloudRequestError(400, `probe body of ${bytes} bytes, Content-Length said ${contentLength}`));
      else resolve(bytes);
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(new CloudRequestError(400, `probe body: ${e.message}`));
    });
  });
}
