// Test support: HTTP requests written byte by byte, for requests fetch would never send.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

export interface RawRequest {
  port: number;
  /** Everything up to the blank line, e.g. "POST /v1/infer HTTP/1.1\r\nContent-Length: 5". */
  head: string;
  body?: Uint8Array;
  /** Half-close the socket after writing (the client gives up mid-body). */
  endAfterWrite?: boolean;
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
}

/** Sends a raw request and reads until the server closes the connection; status 0 when it closed without answering. */
export function rawRequest(req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(req.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`raw request: no close within ${req.timeoutMs ?? 10_000} ms`));
    }, req.timeoutMs ?? 10_000);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => { /* a reset after the answer: what arrived is judged below */ });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, headers: head, body: rest.join('\r\n\r\n') });
    });
    socket.write(`${req.head}\r\nHost: 127.0.0.1\r\n\r\n`);
    if (req.body) socket.write(req.body);
    if (req.endAfterWrite) socket.end();
  });
}
