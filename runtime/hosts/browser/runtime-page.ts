/**
 * The runtime's browser host: a page opened in a phone's own browser (adb reverse + a VIEW
 * intent) or in headless Chromium in tests. Reads ?session=&token=&count= (and optionally
 * &cloud= and &cloudToken= to override the bundle's endpoint and its token), loads and checks the bundle from the studio,
 * starts WebGL (hardware) or else WASM, never silently cpu, runs `count` inferences over
 * the images in turn with the shared core and posts each timeline to the collector.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initBrowserBackend } from '../../../engine/browser-backend.ts';
import { probeWebglRenderer } from '../../../profiler/hosts/browser/webgl-renderer.ts';
import { BandwidthEstimator } from '../../core/bandwidth-estimator.ts';
import { httpProbe } from '../../core/bandwidth-probe.ts';
import { fetchBundleModel } from '../../core/fetch-bundle.ts';
import { decodeImages } from '../../core/image-batch.ts';
import type { InferenceTimeline } from '../../core/inference-timeline.ts';
import { summariseTimelines } from '../../core/runtime-line.ts';
import type { RuntimeLine } from '../../core/runtime-line.ts';
import { TreeRuntime } from '../../core/tree-runtime.ts';
import { RUNTIME_BASE_PATH, RUNTIME_TOKEN_HEADER, runtimeSessionPath } from './runtime-session-protocol.ts';
import type { RuntimeSessionCall } from './runtime-session-protocol.ts';

type PageState = 'loading' | 'running' | 'done' | 'error';

function show(id: 'state' | 'backend' | 'progress' | 'branch' | 'error', text: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

function setState(state: PageState): void {
  document.body.dataset.state = state;
  show('state', state);
}

class RuntimePageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimePageError';
  }
}

async function post(session: string, token: string, call: RuntimeSessionCall, body: unknown): Promise<void> {
  const res = await fetch(runtimeSessionPath(session, call), {
    method: 'POST', headers: { [RUNTIME_TOKEN_HEADER]: token, 'content-type': 'application/json' }, body: JSON.stringify(body), cache: 'no-store',
  });
  if (!res.ok) throw new RuntimePageError(`the studio answered ${res.status} to ${call}: ${(await res.text()).slice(0, 300)}`);
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const session = params.get('session');
  const token = params.get('token');
  const count = Number(params.get('count') ?? '');
  if (!session || !token || !Number.isInteger(count) || count < 1) {
    throw new RuntimePageError(`this page needs ?session=...&token=...&count=N in its address (got "${location.search}"); open it from the studio`);
  }
  try {
    const cloudUrl = params.get('cloud');
    const cloudToken = params.get('cloudToken');
    const cloud = { ...(cloudUrl !== null && { url: cloudUrl }), ...(cloudToken !== null && { token: cloudToken }) };
    const { model } = await fetchBundleModel(`${RUNTIME_BASE_PATH}bundle/`, cloud);
    const res = await fetch(`${RUNTIME_BASE_PATH}images.f32`, { cache: 'no-store' });
    if (!res.ok) throw new RuntimePageError(`the studio answered ${res.status} for the images`);
    const images = decodeImages(new Uint8Array(await res.arrayBuffer()), model.inputShape, 'images.f32');
    const gl = probeWebglRenderer(document);
    const info = await initBrowserBackend({ wasmPrefix: `${RUNTIME_BASE_PATH}tfjs-wasm/`, prefer: gl.software ? 'wasm' : 'webgl' });
    show('backend', info.description);
    const probe = model.cloud === null ? null : httpProbe(model.cloud.url, model.cloud.token);
    const runtime = new TreeRuntime(model, { bandwidth: new BandwidthEstimator({ probe, refresh: 'background' }), backend: info.description });
    const start: RuntimeLine = { type: 'start', model: model.name, backend: info.description, cloud: model.cloud?.url ?? '', levelsMbps: model.levelsMbps, nodes: model.nodes.length, images: images.count, count };
    await post(session, token, 'start', start);
    setState('running');
    const per = images.values.length / images.count;
    const timelines: InferenceTimeline[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const k = i % images.count;
        const x = tf.tensor4d(images.values.subarray(k * per, (k + 1) * per), [1, ...model.inputShape] as [number, number, number, number]);
        try {
          const { timeline } = await runtime.infer(x);
          timelines.push(timeline);
          await post(session, token, 'timeline', timeline);
          show('progress', `${i + 1} / ${count}`);
          show('branch', `nodes ${timeline.branch.join(' > ')}${timeline.cut === null ? ', all on the device' : `, cut ${timeline.cut}`}${timeline.fallback ? ` (${timeline.fallback})` : ''}`);
        } finally {
          x.dispose();
        }
      }
    } finally {
      runtime.dispose();
    }
    await post(session, token, 'done', summariseTimelines(timelines));
    setState('done');
  } catch (e) {
    const message = (e as Error).message;
    show('error', message);
    setState('error');
    await post(session, token, 'error', { message }).catch(() => undefined);
  }
}

main().catch((e: unknown) => {
  show('error', (e as Error).message);
  setState('error');
});
