/**
 * A standalone HTTP server for one browser bench session (so calibration works in the
 * Electron shell as well as in browser mode): serves the built runner page and the TF.js
 * .wasm binaries (application/wasm), hands the page the plan's cases not yet measured,
 * and takes each measurement the page POSTs: checked (shape, finite numbers, a case of
 * the plan, not measured twice), then handed to onMeasurement so the caller stores it as
 * it arrives. Bound to 127.0.0.1; every session call needs the session's random token.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BenchCase, BenchPlan } from '../../bench-plan.ts';
import type { Measurement } from '../../measurement.ts';
import { readStaticFile } from '../../../server/static-files.ts';
import { BENCH_PAGE_DIST, BENCH_PAGE_SCRIPT } from './bench-page-files.ts';
import { BENCH_BASE_PATH, BENCH_TOKEN_HEADER } from './bench-session-protocol.ts';
import type { BenchPageErrorReport, BenchPlanResponse } from './bench-session-protocol.ts';
import { checkMeasurement } from './check-measurement.ts';
import { BadMeasurementError, BenchPageNotBuiltError, BenchPageReportedError, BenchSessionStoppedError } from './bench-session-errors.ts';

const MAX_BODY_BYTES = 64 * 1024;

export interface BenchSessionOptions {
  plan: BenchPlan;
  /** Cases measured before (resuming a run): the page is not given them. */
  skipCaseIds?: Iterable<string>;
  /** Stores one checked measurement; a throw answers the page 500 and the case stays unmeasured. */
  onMeasurement(m: Measurement): void | Promise<void>;
  /** The page reported a failure; waitUntilDone() rejects with the same error. */
  onError?(e: BenchPageReportedError): void;
  /** Every case of the plan is measured. */
  onDone?(): void;
  /** Folder of the built page (default profiler/hosts/browser/dist). */
  pageDir?: string;
  /** Port on 127.0.0.1 (default 0: any free one). */
  port?: number;
}

export interface BenchSession {
  /** The page's address on this computer, session and token included. */
  url: string;
  /** Path and query of the page (the same on a phone whose 127.0.0.1:port is reversed here). */
  pagePath: string;
  port: number;
  sessionId: string;
  token: string;
  /** Case ids measured so far, skipped ones included. */
  measuredCaseIds(): string[];
  /** Resolves when every case is measured; rejects on a page error, on abort, or on close. */
  waitUntilDone(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

class HttpRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpRefusal';
  }
}

/** 127.0.0.0/8 and localhost only: a page on another origin must not reach the session (DNS rebinding). */
function loopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

function sameToken(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpRefusal(413, `body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startBenchSession(opts: BenchSessionOptions): Promise<BenchSession> {
  const pageDir = opts.pageDir ?? BENCH_PAGE_DIST;
  if (!existsSync(join(pageDir, 'index.html')) || !existsSync(join(pageDir, BENCH_PAGE_SCRIPT))) throw new BenchPageNotBuiltError(pageDir);
  const { plan } = opts;
  const sessionId = randomBytes(8).toString('hex');
  const token = randomBytes(24).toString('hex');
  const cases = new Map<string, BenchCase>(plan.cases.map((c) => [c.id, c]));
  const measured = new Set<string>([...(opts.skipCaseIds ?? [])].filter((id) => cases.has(id)));
  const storing = new Set<string>();

  let outcome: { error?: Error } | undefined;
  const waiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>();
  const finish = (error?: Error): void => {
    if (outcome) return;
    outcome = error ? { error } : {};
    for (const w of waiters) {
      if (error) w.reject(error);
      else w.resolve();
    }
    waiters.clear();
    if (!error) opts.onDone?.();
  };

  const planResponse = (): BenchPlanResponse => ({
    plan: { ...plan, cases: plan.cases.filter((c) => !measured.has(c.id)) },
    total: plan.cases.length,
    measured: measured.size,
  });

  const sessionCall = async (req: IncomingMessage, what: string): Promise<{ status: number; body?: unknown }> => {
    if (!sameToken(req.headers[BENCH_TOKEN_HEADER], token)) throw new HttpRefusal(403, `missing or wrong ${BENCH_TOKEN_HEADER} for session ${sessionId}`);
    if (what === 'plan' && req.method === 'GET') return { status: 200, body: planResponse() };
    if (req.method !== 'POST' || (what !== 'measurement' && what !== 'error')) throw new HttpRefusal(405, `${req.method} ${what} is not a session call`);
    let raw: unknown;
    try {
      raw = JSON.parse(await readBody(req));
    } catch (e) {
      if (e instanceof HttpRefusal) throw e;
      throw new HttpRefusal(400, `the ${what} is not JSON: ${(e as Error).message}`);
    }
    if (what === 'error') {
      const r = raw as Partial<BenchPageErrorReport>;
      const message = typeof r?.message === 'string' ? r.message.slice(0, 2000) : JSON.stringify(raw).slice(0, 2000);
      const err = new BenchPageReportedError(sessionId, message, typeof r?.caseId === 'string' ? r.caseId : undefined);
      opts.onError?.(err);
      finish(err);
      return { status: 204 };
    }
    let m: Measurement;
    try {
      m = checkMeasurement(raw, cases, plan.repeats);
    } catch (e) {
      if (e instanceof BadMeasurementError) throw new HttpRefusal(400, e.message);
      throw e;
    }
    if (measured.has(m.caseId) || storing.has(m.caseId)) throw new HttpRefusal(409, `case "${m.caseId}" is already measured in this run`);
    storing.add(m.caseId);
    try {
      await opts.onMeasurement(m);
      measured.add(m.caseId);
    } finally {
      storing.delete(m.caseId);
    }
    if (measured.size === cases.size) finish();
    return { status: 204 };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!loopbackHost(req.headers.host)) throw new HttpRefusal(403, `host ${JSON.stringify(req.headers.host)} is not this computer`);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const call = /^\/bench\/session\/([^/]+)\/([a-z]+)$/.exec(path);
    if (call) {
      if (decodeURIComponent(call[1]) !== sessionId) throw new HttpRefusal(404, `no bench session "${call[1]}" here`);
      const out = await sessionCall(req, call[2]);
      res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(out.body === undefined ? undefined : JSON.stringify(out.body));
      return;
    }
    if (req.method !== 'GET' || !path.startsWith(BENCH_BASE_PATH)) throw new HttpRefusal(404, `nothing at ${path}`);
    const file = await readStaticFile(pageDir, path.slice(BENCH_BASE_PATH.length - 1));
    if (!file) throw new HttpRefusal(404, `nothing at ${path}`);
    res.writeHead(200, {
      'content-type': file.contentType,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Cross-origin isolation: the page's clock gets 5 us resolution instead of 100 us.
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    });
    res.end(file.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof HttpRefusal ? e.status : 500;
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(e instanceof Error ? e.message : String(e));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const pagePath = `${BENCH_BASE_PATH}?session=${sessionId}&token=${token}`;
  if (measured.size === cases.size) finish();

  return {
    url: `http://127.0.0.1:${port}${pagePath}`,
    pagePath,
    port,
    sessionId,
    token,
    measuredCaseIds: () => plan.cases.filter((c) => measured.has(c.id)).map((c) => c.id),
    waitUntilDone: (signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
      if (outcome) return outcome.error ? reject(outcome.error) : resolve();
      if (signal?.aborted) return reject(new BenchSessionStoppedError(sessionId, 'cancelled', measured.size, cases.size));
      const w = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (e: Error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = (): void => {
        waiters.delete(w);
        reject(new BenchSessionStoppedError(sessionId, 'cancelled', measured.size, cases.size));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.add(w);
    }),
    close: async () => {
      finish(new BenchSessionStoppedError(sessionId, 'closed', measured.size, cases.size));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
