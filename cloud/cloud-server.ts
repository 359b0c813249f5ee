/**
 * The cloud offload server: HTTP/1.1 on node:http. A device POSTs the tensors
 * that cross its cut to /v1/infer (the frame of api/offload/), the server runs
 * the base model's remaining layers [cut, L) and answers the output and its own
 * compute time. See cloud/README.md for the protocol and the limits.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import type { BackendInfo } from '../engine/backend-info.ts';
import { encodeOffloadResponse } from '../api/offload/offload-response.ts';
import type { OffloadRequestHeader } from '../api/offload/offload-request.ts';
import { CloudModel } from './cloud-model.ts';
import type { CloudModelEntry } from './cloud-model.ts';
import { CloudRequestError } from './cloud-request-error.ts';
import { InferenceSlots } from './inference-slots.ts';
import { bearerMatches } from './bearer-token.ts';
import { readOffloadBody } from './offload-body-reader.ts';
import { drainProbeBody, PROBE_MAX_BYTES } from './probe-body.ts';

export interface CloudServerOptions {
  /** Base models by the key requests name, e.g. "vgg11/fashion-mnist". */
  models: ReadonlyMap<string, CloudModelEntry>;
  /** Every request must carry `Authorization: Bearer <token>`. */
  token: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Largest body accepted, checked on Content-Length before a byte is read (default 16 MiB). */
  maxBodyBytes?: number;
  /** Inferences in progress at once, interleaved layer by layer (default 2). */
  maxConcurrent?: number;
  /** Admitted requests beyond maxConcurrent (reading their body or waiting); more get 503 (default 8). */
  maxQueue?: number;
  /** The whole body must arrive within this time, else 408 (default 30 000 ms). */
  bodyTimeoutMs?: number;
}

export interface CloudServerStats {
  /** Successful inferences. */
  served: number;
  /** Refused requests by HTTP status. */
  refused: Record<number, number>;
  admitted: number;
  running: number;
  waiting: number;
  /** Most requests admitted at one time (at most maxConcurrent + maxQueue). */
  peakAdmitted: number;
}

export interface CloudServer {
  /** E.g. http://127.0.0.1:41234 (POST /v1/infer, GET /v1/models, POST /v1/probe). */
  url: string;
  port: number;
  /** The TensorFlow.js backend the layers run on. */
  backend: BackendInfo;
  stats(): CloudServerStats;
  /** Stops accepting, drops open connections and frees the models' tensors. */
  close(): Promise<void>;
}

/** Settings that cannot run a server (no models, an empty token, a limit that is not a positive whole number). */
export class CloudServerConfigError extends Error {
  constructor(problem: string) {
    super(`cloud server: ${problem}`);
    this.name = 'CloudServerConfigError';
  }
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
  'Access-Control-Allow-Headers': 'authorization, content-type',
  'Access-Control-Max-Age': '600',
};

export async function startCloudServer(opts: CloudServerOptions): Promise<CloudServer> {
  const limits = {
    maxBodyBytes: positive('maxBodyBytes', opts.maxBodyBytes ?? 16 * 1024 * 1024),
    maxConcurrent: positive('maxConcurrent', opts.maxConcurrent ?? 2),
    maxQueue: positive('maxQueue', opts.maxQueue ?? 8, true),
    bodyTimeoutMs: positive('bodyTimeoutMs', opts.bodyTimeoutMs ?? 30_000),
  };
  if (typeof opts.token !== 'string' || opts.token.length === 0) throw new CloudServerConfigError('the token is empty');
  if (opts.models.size === 0) throw new CloudServerConfigError('no models to serve');

  const backend = await initTfjsBackend();
  const models = new Map<string, CloudModel>();
  try {
    for (const [key, entry] of opts.models) models.set(key, new CloudModel(key, entry));
  } catch (err) {
    for (const m of models.values()) m.dispose();
    throw err;
  }
  const slots = new InferenceSlots(limits.maxConcurrent, limits.maxQueue);
  const counts = { served: 0, refused: {} as Record<number, number> };

  const checkHeader = (header: OffloadRequestHeader): void => {
    const model = models.get(header.model);
    if (!model) throw new CloudRequestError(404, `unknown model "${header.model}" (this server has: ${[...models.keys()].join(', ')})`);
    model.checkHeader(header);
  };

  const handleInfer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!bearerMatches(req.headers.authorization, opts.token)) {
      throw new CloudRequestError(401, req.headers.authorization ? 'the bearer token is wrong' : 'no bearer token: send Authorization: Bearer <token>', { 'WWW-Authenticate': 'Bearer' });
    }
    const lengthText = req.headers['content-length'];
    if (lengthText === undefined) throw new CloudRequestError(411, 'Content-Length is required (the body size is checked before it is read)');
    const contentLength = Number(lengthText);
    if (contentLength > limits.maxBodyBytes) {
      throw new CloudRequestError(413, `Content-Length ${contentLength} is over this server's limit of ${limits.maxBodyBytes} bytes`);
    }
    if (!slots.tryAdmit()) {
      throw new CloudRequestError(503, `busy: ${limits.maxConcurrent} inferences running and ${limits.maxQueue} queued; retry later`, { 'Retry-After': '1' });
    }
    try {
      const body = await readOffloadBody(req, { contentLength, timeoutMs: limits.bodyTimeoutMs, checkHeader });
      const model = models.get(body.header.model) as CloudModel;
      const result = await slots.run(() => model.infer(body.header, body.payload));
      const bytes = encodeOffloadResponse({ ...result, backend: backend.description });
      res.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) });
      res.end(bytes);
      counts.served += 1;
    } finally {
      slots.leave();
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS).end();
      return;
    }
    if (path === '/v1/infer') {
      if (req.method !== 'POST') throw new CloudRequestError(405, `${req.method} /v1/infer: use POST`, { Allow: 'POST' });
      await handleInfer(req, res);
      return;
    }
    if (path === '/v1/probe' && req.method === 'POST') {
      // The runtime's active bandwidth measurement: the device times this upload (runtime/core/bandwidth-probe.ts).
      if (!bearerMatches(req.headers.authorization, opts.token)) throw new CloudRequestError(401, 'the bearer token is missing or wrong', { 'WWW-Authenticate': 'Bearer' });
      const declared = Number(req.headers['content-length']);
      if (req.headers['content-length'] === undefined) throw new CloudRequestError(411, 'Content-Length is required');
      if (declared > PROBE_MAX_BYTES) throw new CloudRequestError(413, `a probe of ${declared} bytes is over the limit of ${PROBE_MAX_BYTES}`);
      sendJson(res, 200, { bytes: await drainProbeBody(req, declared, limits.bodyTimeoutMs) });
      return;
    }
    if (path === '/v1/models' && req.method === 'GET') {
      if (!bearerMatches(req.headers.authorization, opts.token)) throw new CloudRequestError(401, 'the bearer token is missing or wrong', { 'WWW-Authenticate': 'Bearer' });
      sendJson(res, 200, {
        backend: backend.description,
        models: [...models.values()].map((m) => ({ key: m.key, name: m.executor.spec.name, layers: m.layerCount, inputShape: m.executor.spec.inputShape, outputShape: m.executor.analysis.outputShape })),
      });
      return;
    }
    throw new CloudRequestError(404, `no such endpoint: ${req.method} ${path} (POST /v1/infer, GET /v1/models, POST /v1/probe)`);
  };

  const server = createServer({ requestTimeout: limits.bodyTimeoutMs + 5_000, maxHeaderSize: 16 * 1024 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof CloudRequestError ? err : new CloudRequestError(500, `inference failed: ${(err as Error).message}`);
      counts.refused[e.status] = (counts.refused[e.status] ?? 0) + 1;
      if (res.headersSent || res.destroyed) return;
      // The body may be unread: close the connection after answering, and Node discards the rest as it arrives.
      res.setHeader('Connection', 'close');
      sendJson(res, e.status, { error: e.message }, e.headers);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed = false;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    backend,
    stats: () => ({ served: counts.served, refused: { ...counts.refused }, ...slots.stats() }),
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
      for (const m of models.values()) m.dispose();
    },
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { ...CORS_HEADERS, ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function positive(name: string, value: number, allowZero = false): number {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) throw new CloudServerConfigError(`${name} must be a whole number ${allowZero ? '>= 0' : '>= 1'}, got ${value}`);
  return value;
}
