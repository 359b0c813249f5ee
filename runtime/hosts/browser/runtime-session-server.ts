/**
 * The studio's side of a browser runtime session: a server on 127.0.0.1 that serves the
 * runtime page, the bundle's manifest and listed files, and the images, and collects the
 * timelines the page posts (per-session token). On a phone it is reached over `adb reverse`
 * (see profiler/hosts/browser/run-on-phone.ts for the reverse mapping and the VIEW intent).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../../api/bundle/bundle-manifest.ts';
import { parseBundleManifest } from '../../../api/bundle/parse-manifest.ts';
import type { InferenceTimeline } from '../../core/inference-timeline.ts';
import type { RuntimeStartLine, RuntimeSummaryLine } from '../../core/runtime-line.ts';
import { RUNTIME_PAGE_DIST, RUNTIME_PAGE_SCRIPT, RUNTIME_WASM_SUBDIR } from './build-runtime-page.ts';
import { RUNTIME_BASE_PATH, RUNTIME_TOKEN_HEADER } from './runtime-session-protocol.ts';

export interface RuntimeSessionOptions {
  bundleDir: string;
  /** Raw float32 NHWC images (runtime/core/image-batch.ts). */
  images: Uint8Array;
  count: number;
  /** Overrides the bundle's cloud URL for the page (what the phone reaches the cloud by). */
  cloudUrl?: string;
  /**
   * Overrides the bundle's cloud token (with cloudUrl). It travels in the page's address, as
   * the session token does: no worse than the bundle on the phone, whose manifest holds one.
   */
  cloudToken?: string;
  /** The built page (default RUNTIME_PAGE_DIST). */
  pageDir?: string;
  port?: number;
  onTimeline?: (t: InferenceTimeline) => void;
}

export interface RuntimeSession {
  /** The page's address with session, token and count. */
  url: string;
  port: number;
  start(): RuntimeStartLine | null;
  timelines(): InferenceTimeline[];
  /** Resolves with the page's summary; rejects with RuntimePageReportedError, or when `signal` aborts. */
  waitUntilDone(signal?: AbortSignal): Promise<RuntimeSummaryLine>;
  close(): Promise<void>;
}

export class RuntimePageReportedError extends Error {
  constructor(message: string) {
    super(`the runtime page failed: ${message}`);
    this.name = 'RuntimePageReportedError';
  }
}

const MAX_POST_BYTES = 1024 * 1024;
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.map': 'application/json', '.wasm': 'application/wasm', '.json': 'application/json' };
const typeOf = (path: string): string => TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';

export async function startRuntimeSession(opts: RuntimeSessionOptions): Promise<RuntimeSession> {
  const pageDir = opts.pageDir ?? RUNTIME_PAGE_DIST;
  const manifestText = await readFile(join(opts.bundleDir, MANIFEST_FILE), 'utf8');
  const manifest = parseBundleManifest(manifestText, opts.bundleDir);
  const listed = new Set(manifest.files.map((f) => f.path));
  const session = randomBytes(8).toString('hex');
  const token = randomBytes(24).toString('hex');
  const collected: InferenceTimeline[] = [];
  let started: RuntimeStartLine | null = null;
  let finish: { resolve: (s: RuntimeSummaryLine) => void; reject: (e: Error) => void } | null = null;
  const done = new Promise<RuntimeSummaryLine>((resolve, reject) => {
    finish = { resolve, reject };
  });
  done.catch(() => undefined);

  const page: Record<string, string> = {
    '': 'index.html', 'index.html': 'index.html', [RUNTIME_PAGE_SCRIPT]: RUNTIME_PAGE_SCRIPT, [`${RUNTIME_PAGE_SCRIPT}.map`]: `${RUNTIME_PAGE_SCRIPT}.map`,
  };
  const send = (res: ServerResponse, status: number, body: Uint8Array | string, type: string): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(body);
  };
  const readJson = (req: IncomingMessage): Promise<unknown> => new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > MAX_POST_BYTES) {
        reject(new Error(`body over ${MAX_POST_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e as Error);
      }
    });
    req.on('error', reject);
  });
  const tokenOk = (given: string | string[] | undefined): boolean => typeof given === 'string' && given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (!path.startsWith(RUNTIME_BASE_PATH)) return send(res, 404, `no such path ${path}`, 'text/plain');
    const rest = path.slice(RUNTIME_BASE_PATH.length);
    if (req.method === 'GET') {
      if (rest in page) return send(res, 200, await readFile(join(pageDir, page[rest])), typeOf(page[rest]));
      if (rest.startsWith(`${RUNTIME_WASM_SUBDIR}/`) && /^[\w.-]+\.wasm$/.test(rest.slice(RUNTIME_WASM_SUBDIR.length + 1))) return send(res, 200, await readFile(join(pageDir, rest)), 'application/wasm');
      if (rest === 'images.f32') return send(res, 200, opts.images, 'application/octet-stream');
      if (rest === `bundle/${MANIFEST_FILE}`) return send(res, 200, manifestText, 'application/json');
      // Only what the manifest lists (its paths are checked to stay inside the bundle).
      if (rest.startsWith('bundle/') && listed.has(rest.slice(7))) return send(res, 200, await readFile(join(opts.bundleDir, rest.slice(7))), typeOf(rest));
      return send(res, 404, `no such file ${path}`, 'text/plain');
    }
    const m = /^session\/([0-9a-f]+)\/(start|timeline|done|error)$/.exec(rest);
    if (req.method !== 'POST' || m === null) return send(res, 405, `${req.method} ${path} is not a session call`, 'text/plain');
    if (m[1] !== session) return send(res, 404, `no session ${m[1]}`, 'text/plain');
    if (!tokenOk(req.headers[RUNTIME_TOKEN_HEADER])) return send(res, 403, 'wrong or missing session token', 'text/plain');
    const body = await readJson(req);
    if (m[2] === 'start') started = body as RuntimeStartLine;
    else if (m[2] === 'timeline') {
      const t = body as InferenceTimeline;
      if (t?.type !== 'inference' || !Array.isArray(t.branch)) return send(res, 400, 'a timeline needs type "inference" and its branch', 'text/plain');
      collected.push(t);
      opts.onTimeline?.(t);
    } else if (m[2] === 'done') finish?.resolve(body as RuntimeSummaryLine);
    else finish?.reject(new RuntimePageReportedError(String((body as { message?: unknown }).message ?? 'no message')));
    return send(res, 204, '', 'text/plain');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, (e as Error).message, 'text/plain');
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const query = new URLSearchParams({ session, token, count: String(opts.count), ...(opts.cloudUrl === undefined ? {} : { cloud: opts.cloudUrl }), ...(opts.cloudToken === undefined ? {} : { cloudToken: opts.cloudToken }) });
  return {
    url: `http://127.0.0.1:${port}${RUNTIME_BASE_PATH}?${query.toString()}`,
    port,
    start: () => started,
    timelines: () => [...collected],
    waitUntilDone(signal) {
      if (signal === undefined) return done;
      return Promise.race([done, new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason as Error);
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      })]);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
