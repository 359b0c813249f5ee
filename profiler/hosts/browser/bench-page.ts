/**
 * The browser runner page: opened in a phone's own browser (over ADB: adb reverse plus a
 * VIEW intent) or in headless Chromium in tests. Reads its session and token from the URL,
 * fetches the plan from the studio, starts WebGL (a hardware one) or else WASM (never silently
 * the slow cpu backend), times each case with the shared runner core and posts each measurement as it
 * finishes, showing progress; a failure is shown and posted to the studio.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initBrowserBackend } from '../../../engine/browser-backend.ts';
import { runBenchCases } from '../../runner/run-bench-cases.ts';
import { checkBenchPlan } from '../../plan/parse-bench-plan.ts';
import type { Measurement } from '../../measurement.ts';
import { probeWebglRenderer } from './webgl-renderer.ts';
import { BENCH_BASE_PATH, BENCH_TOKEN_HEADER, sessionPath } from './bench-session-protocol.ts';
import type { BenchPageErrorReport, BenchPlanResponse } from './bench-session-protocol.ts';

type PageState = 'loading' | 'running' | 'done' | 'error';

function show(id: 'state' | 'backend' | 'webgl' | 'progress' | 'current' | 'error', text: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

function setState(state: PageState): void {
  document.body.dataset.state = state;
  show('state', state);
}

class BenchPageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchPageError';
  }
}

async function call(path: string, token: string, body?: unknown): Promise<Response> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { [BENCH_TOKEN_HEADER]: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!res.ok) throw new BenchPageError(`the studio answered ${res.status} to ${path}: ${(await res.text()).slice(0, 500)}`);
  return res;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const session = params.get('session');
  const token = params.get('token');
  if (!session || !token) throw new BenchPageError(`this page needs ?session=...&token=... in its address (got "${location.search}"); open it from the studio`);
  let running: string | undefined;
  try {
    const { plan: rawPlan, total, measured: before } = (await (await call(sessionPath(session, 'plan'), token)).json()) as BenchPlanResponse;
    show('progress', `${before} / ${total}`);
    if (rawPlan.cases.length === 0) {
      show('backend', 'none needed');
      setState('done');
      return;
    }
    const plan = checkBenchPlan(rawPlan, 'the plan from the studio');
    // A software WebGL (SwiftShader, llvmpipe) would time the rasterizer, not the device: WASM first then.
    const gl = probeWebglRenderer(document);
    const info = await initBrowserBackend({ wasmPrefix: `${BENCH_BASE_PATH}tfjs-wasm/`, prefer: gl.software ? 'wasm' : 'webgl' });
    show('backend', info.description);
    show('webgl', gl.renderer === null ? 'no WebGL context' : `${gl.renderer}${gl.software ? ' (software: not used)' : ''}`);
    setState('running');
    let done = before;
    for (const c of plan.cases) {
      running = c.id;
      show('current', `${c.id} (${c.kind}, ${c.macc.toLocaleString('en')} MACC)`);
      const posts: Promise<Response>[] = [];
      await runBenchCases(plan, [c], {
        tf, backend: info.description, now: () => performance.now(), runner: 'tfjs-browser',
        onMeasurement: (m: Measurement) => posts.push(call(sessionPath(session, 'measurement'), token, m)),
      });
      await Promise.all(posts);
      done += 1;
      show('progress', `${done} / ${total}`);
    }
    running = undefined;
    show('current', '-');
    setState('done');
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    setState('error');
    show('error', message);
    const report: BenchPageErrorReport = { message, ...(running === undefined ? {} : { caseId: running }) };
    await call(sessionPath(session, 'error'), token, report).catch(() => undefined);
  }
}

main().catch((e: unknown) => {
  setState('error');
  show('error', e instanceof Error ? e.message : String(e));
});
