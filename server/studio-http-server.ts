/**
 * Browser mode's HTTP transport for a StudioApi: bound to 127.0.0.1, every /api/
 * call needs the per-launch token, Host headers other than loopback are refused
 * (DNS rebinding), and the built renderer is served with the studio's CSP.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dispatchStudioCall } from '../api/dispatch.ts';
import { toApiErrorBody } from '../api/api-error.ts';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy.ts';
import type { StudioApi } from '../api/studio-api.ts';
import { statusForError } from './http-status.ts';
import { readStaticFile } from './static-files.ts';

/** 64 MiB of content, base64- or JSON-escaped, plus room for the other fields. */
export const MAX_BODY_BYTES = 96 * 1024 * 1024;
export const TOKEN_HEADER = 'x-edgetree-token';

export interface StudioHttpServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, name: string, message: string) {
    super(message);
    this.name = name;
    this.status = status;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function hostIsLoopback(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.toLowerCase());
  if (!m) return false;
  return LOOPBACK_HOSTS.has(m[1]) && (m[2] === undefined ? port === 80 : Number(m[2]) === port);
}

function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The token arrives in the first page's URL: never leak it in a Referer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value ?? null));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'PayloadTooLargeError', `request body of ${declared} bytes is over the limit of ${MAX_BODY_BYTES}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'PayloadTooLargeError', `request body is over the limit of ${MAX_BODY_BYTES} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handleApi(api: StudioApi, token: string, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  if (!tokenMatches(req.headers[TOKEN_HEADER], token)) {
    throw new HttpError(401, 'UnauthorizedError', `missing or wrong ${TOKEN_HEADER} header`);
  }
  if (req.method !== 'POST') throw new HttpError(405, 'MethodNotAllowedError', `${req.method} /api/${method}: use POST`);
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new HttpError(415, 'UnsupportedMediaTypeError', `/api/${method}: the body must be application/json, got ${JSON.stringify(type)}`);
  const raw = await readBody(req);
  let request: unknown;
  try {
    request = raw.length === 0 ? {} : JSON.parse(raw);
  } catch (err) {
    throw new HttpError(400, 'InvalidRequestError', `${method}: the body is not JSON (${(err as Error).message})`);
  }
  sendJson(res, 200, await dispatchStudioCall(api, method, request));
}

export async function startStudioHttpServer(api: StudioApi, opts: { port?: number; staticDir: string }): Promise<StudioHttpServer> {
  const token = randomBytes(32).toString('hex');
  let port = 0;
  const server = createServer((req, res) => {
    securityHeaders(res);
    const respond = async (): Promise<void> => {
      if (!hostIsLoopback(req.headers.host, port)) {
        throw new HttpError(403, 'ForbiddenHostError', `Host ${JSON.stringify(req.headers.host ?? '')} is not this studio's loopback address`);
      }
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path.startsWith('/api/')) return handleApi(api, token, req, res, path.slice('/api/'.length));
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'MethodNotAllowedError', `${req.method} ${path}: static files are GET only`);
      const file = await readStaticFile(opts.staticDir, path);
      if (file === null) throw new HttpError(404, 'NotFoundError', `no file ${path}`);
      res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length, 'Cache-Control': file.isIndex ? 'no-store' : 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    };
    respond().catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : statusForError(err instanceof Error ? err.name : 'Error');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A body we refused to read must not be left half-consumed on a kept-alive socket.
      if (status === 413) res.setHeader('Connection', 'close');
      sendJson(res, status, toApiErrorBody(err));
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close: () => new Promise<void>((resolvePromise, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolvePromise()));
    }),
  };
}
