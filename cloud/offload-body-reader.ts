import type { IncomingMessage } from 'node:http';
import { FRAME_PREFIX_BYTES, REQUEST_MAGIC, parseHeaderJson, readFramePrefix } from '../api/offload/offload-frame.ts';
import { declaredPayloadBytes, parseOffloadRequestHeader } from '../api/offload/offload-request.ts';
import type { OffloadRequestHeader } from '../api/offload/offload-request.ts';
import { OffloadProtocolError } from '../api/offload/offload-protocol-error.ts';
import { CloudRequestError } from './cloud-request-error.ts';

export interface BodyReadOptions {
  /** The request's Content-Length, already checked against the server's limit. */
  contentLength: number;
  /** The whole body must arrive within this time. */
  timeoutMs: number;
  /** Checks a parsed header against the models (throws CloudRequestError); runs before any payload byte is kept. */
  checkHeader(header: OffloadRequestHeader): void;
}

export interface OffloadBody {
  header: OffloadRequestHeader;
  /** Exactly the payload the header declares, 4-byte aligned. */
  payload: Uint8Array;
}

/**
 * Reads an offload request body as it streams in: the 8-byte prefix, then the
 * header, which is parsed and checked, and only then a payload buffer of the
 * declared size is allocated and filled. A refused request stops being read
 * (the rest of its bytes are discarded as they come, never stored).
 */
export function readOffloadBody(req: IncomingMessage, opts: BodyReadOptions): Promise<OffloadBody> {
  const { contentLength } = opts;
  return new Promise((resolve, reject) => {
    const prefix = new Uint8Array(FRAME_PREFIX_BYTES);
    let headerBytes: Uint8Array | null = null;
    let header: OffloadRequestHeader | null = null;
    let payload: Uint8Array | null = null;
    let received = 0;
    let done = false;

    const finish = (err: CloudRequestError | null, body?: OffloadBody): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('close', onClose);
      req.off('error', onClose);
      if (err) reject(err);
      else resolve(body as OffloadBody);
    };
    const refuse = (status: number, message: string): void => finish(new CloudRequestError(status, message));

    const onData = (chunk: Buffer): void => {
      try {
        let at = 0;
        while (at < chunk.length && !done) {
          if (received < FRAME_PREFIX_BYTES) {
            const n = Math.min(FRAME_PREFIX_BYTES - received, chunk.length - at);
            prefix.set(chunk.subarray(at, at + n), received);
            at += n;
            received += n;
            if (received === FRAME_PREFIX_BYTES) headerBytes = new Uint8Array(readFramePrefix(prefix, REQUEST_MAGIC, contentLength));
            continue;
          }
          const hb = headerBytes as Uint8Array;
          const headerEnd = FRAME_PREFIX_BYTES + hb.length;
          if (received < headerEnd) {
            const n = Math.min(headerEnd - received, chunk.length - at);
            hb.set(chunk.subarray(at, at + n), received - FRAME_PREFIX_BYTES);
            at += n;
            received += n;
            if (received === headerEnd) payload = startPayload(hb, headerEnd);
            continue;
          }
          const p = payload as Uint8Array;
          const n = Math.min(contentLength - received, chunk.length - at);
          p.set(chunk.subarray(at, at + n), received - headerEnd);
          at += n;
          received += n;
        }
        if (received === contentLength && !done) {
          finish(null, { header: header as OffloadRequestHeader, payload: payload as Uint8Array });
        }
      } catch (err) {
        if (err instanceof CloudRequestError) finish(err);
        else if (err instanceof OffloadProtocolError) refuse(400, err.message);
        else refuse(500, `reading the body failed: ${(err as Error).message}`);
      }
    };

    /** Parses and checks the header, then allocates the payload it declares. */
    const startPayload = (hb: Uint8Array, headerEnd: number): Uint8Array => {
      header = parseOffloadRequestHeader(parseHeaderJson(hb));
      opts.checkHeader(header);
      const declared = declaredPayloadBytes(header);
      if (headerEnd + declared !== contentLength) {
        throw new CloudRequestError(400, `Content-Length ${contentLength} does not match the header, which declares ${headerEnd + declared} bytes (${FRAME_PREFIX_BYTES} + ${hb.length} header + ${declared} payload)`);
      }
      return new Uint8Array(declared);
    };

    const onClose = (): void => {
      if (received < contentLength) refuse(400, `the body ended after ${received} of its ${contentLength} declared bytes`);
    };

    const timer = setTimeout(() => {
      refuse(408, `the body was not complete within ${opts.timeoutMs} ms: ${received} of ${contentLength} declared bytes arrived`);
    }, opts.timeoutMs);
    req.on('data', onData);
    req.on('close', onClose);
    req.on('error', onClose);
    if (contentLength < FRAME_PREFIX_BYTES) refuse(400, `a body of ${contentLength} bytes is shorter than the ${FRAME_PREFIX_BYTES}-byte frame prefix`);
  });
}
