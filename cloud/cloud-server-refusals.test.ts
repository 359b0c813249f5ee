import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';
import { SpecExecutor } from '../dnn/tfjs/spec-executor.ts';
import { encodeOffloadRequest } from '../api/offload/offload-request.ts';
import type { OffloadRequest } from '../api/offload/offload-request.ts';
import { encodeFrame, REQUEST_MAGIC } from '../api/offload/offload-frame.ts';
import { startCloudServer } from './cloud-server.ts';
import type { CloudServer } from './cloud-server.ts';
import { offloadInference } from './offload-client.ts';
import { OffloadServerError } from './offload-errors.ts';
import { localLogits, maxAbsDiff, splitRequest } from './testing/split-request.ts';
import { rawRequest } from './testing/raw-http.ts';

const TOKEN = 'refusals-token';
const KEY = 'alexnet/cifar10';
const spec = builtinModel('alexnet', 'cifar10');
const weights = initWeights(spec, 21);
const CUT = Math.floor(spec.layers.length / 2);

let server: CloudServer;
let device: SpecExecutor;
let good: OffloadRequest;
let goodLogits: Float32Array;
let tensorsWithServer = 0;

before(async () => {
  const info = await initTfjsBackend();
  assert.equal(info.name, 'wasm', info.description);
  server = await startCloudServer({ models: new Map([[KEY, { spec, weights }]]), token: TOKEN, maxBodyBytes: 1024 * 1024, bodyTimeoutMs: 400, maxConcurrent: 2, maxQueue: 4 });
  tensorsWithServer = tf.memory().numTensors;
  device = new SpecExecutor(spec, weights);
  const x = tf.randomNormal([1, ...spec.inputShape], 0, 1, 'float32', 9) as tf.Tensor4D;
  good = splitRequest(device, KEY, CUT, x);
  goodLogits = localLogits(device, x);
  x.dispose();
});

after(async () => {
  device.dispose();
  assert.equal(tf.memory().numTensors, tensorsWithServer, 'no tensor left behind by refused or served requests');
  await server.close();
});

/** A good request right after a refused one still gets the right answer. */
async function stillServes(): Promise<void> {
  const answer = await offloadInference(server.url, TOKEN, good, { timeoutMs: 10_000 });
  assert.ok(maxAbsDiff(answer.logits, goodLogits) <= 1e-5);
}

/** offloadInference must fail with this status and a message matching `pattern`. */
async function refused(request: OffloadRequest, status: number, pattern: RegExp, token = TOKEN): Promise<void> {
  await assert.rejects(offloadInference(server.url, token, request, { timeoutMs: 10_000 }), (e: Error) => {
    assert.ok(e instanceof OffloadServerError, `${e.name}: ${e.message}`);
    assert.equal(e.status, status, e.message);
    assert.match(e.message, pattern);
    return true;
  });
  await stillServes();
}

function head(contentLength: number, token = TOKEN): string {
  return `POST /v1/infer HTTP/1.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${contentLength}\r\nConnection: close`;
}

describe('cloud server: each malformed request gets its error and the server keeps serving', () => {
  test('a wrong token and no token: 401', async () => {
    await refused(good, 401, /the bearer token is wrong/, 'not-the-token');
    const r = await rawRequest({ port: server.port, head: `POST /v1/infer HTTP/1.1\r\nContent-Length: 4\r\nConnection: close`, body: new Uint8Array(4) });
    assert.equal(r.status, 401);
    assert.match(r.body, /no bearer token/);
    assert.match(r.headers, /WWW-Authenticate: Bearer/i);
    await stillServes();
  });

  test('an unknown model: 404 naming the models served', async () => {
    await refused({ ...good, model: 'vgg19/imagenet' }, 404, /unknown model "vgg19\/imagenet" \(this server has: alexnet\/cifar10\)/);
  });

  test('a cut out of range, a wrong shape and a missing tensor: 400 naming what the cut expects', async () => {
    await refused({ ...good, cut: 12 }, 400, /cut 12 is out of range for model "alexnet\/cifar10": it has 12 layers, so the cut must be 0 to 11/);
    const t = good.tensors[0];
    const wrongShape = { ...good, tensors: [{ ...t, shape: [1, t.data.length / 2, 2], data: t.data }] };
    await refused(wrongShape, 400, new RegExp(`tensor 0 is ${t.producerId} \\[1, ${t.data.length / 2}, 2\\], expected ${t.producerId} \\[${t.shape.join(', ')}\\]`));
    await refused({ ...good, cut: CUT - 1 }, 400, /at cut 5: tensor 0 is .*, expected /);
  });

  test('a declared size over maxBodyBytes: 413 before any body byte is sent', async () => {
    const r = await rawRequest({ port: server.port, head: head(50 * 1024 * 1024) });
    assert.equal(r.status, 413);
    assert.match(JSON.parse(r.body).error as string, /Content-Length 52428800 is over this server's limit of 1048576 bytes/);
    await stillServes();
  });

  test('garbage instead of a frame: 400 naming the bytes seen', async () => {
    const garbage = new TextEncoder().encode('{"model":"alexnet/cifar10","cut":6} and then some');
    const r = await rawRequest({ port: server.port, head: head(garbage.length), body: garbage });
    assert.equal(r.status, 400);
    assert.match(JSON.parse(r.body).error as string, /does not start with "ETO1" \(got bytes 7b 22 6d 6f\)/);
    const notJson = encodeFrame(REQUEST_MAGIC, 'x', []);
    notJson.set(new TextEncoder().encode('{bad'), 8);
    const r2 = await rawRequest({ port: server.port, head: head(notJson.length), body: notJson });
    assert.equal(r2.status, 400);
    assert.match(JSON.parse(r2.body).error as string, /the header is not JSON/);
    await stillServes();
  });

  test('a body longer or shorter than its header declares: 400 with both sizes', async () => {
    const body = encodeOffloadRequest(good);
    const longer = new Uint8Array(body.length + 16);
    longer.set(body);
    const r = await rawRequest({ port: server.port, head: head(longer.length), body: longer });
    assert.equal(r.status, 400);
    assert.match(JSON.parse(r.body).error as string, new RegExp(`Content-Length ${longer.length} does not match the header, which declares ${body.length} bytes`));
    const shorter = body.subarray(0, body.length - 16);
    const r2 = await rawRequest({ port: server.port, head: head(shorter.length), body: shorter });
    assert.equal(r2.status, 400);
    assert.match(JSON.parse(r2.body).error as string, /does not match the header/);
    await stillServes();
  });

  test('a truncated body (fewer bytes than Content-Length, then silence): 408 after bodyTimeoutMs with the count', async () => {
    const body = encodeOffloadRequest(good);
    const r = await rawRequest({ port: server.port, head: head(body.length), body: body.subarray(0, body.length - 1000) });
    assert.equal(r.status, 408);
    assert.match(JSON.parse(r.body).error as string, new RegExp(`not complete within 400 ms: ${body.length - 1000} of ${body.length} declared bytes`));
    // The device gives up and half-closes mid-body: no answer can reach it, the server frees the request.
    await rawRequest({ port: server.port, head: head(body.length), body: body.subarray(0, 100), endAfterWrite: true });
    await stillServes();
    assert.equal(server.stats().admitted, 0);
  });

  test('a burst of 20 against maxConcurrent 2 and a queue of 4: some 503 with Retry-After, the rest correct, at most 6 admitted', async () => {
    // Whole-model requests (cut 0, batch 8) keep the first admitted busy while the others arrive.
    const x = tf.randomNormal([8, ...spec.inputShape], 0, 1, 'float32', 4) as tf.Tensor4D;
    const heavy = splitRequest(device, KEY, 0, x);
    const expected = localLogits(device, x);
    x.dispose();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => offloadInference(server.url, TOKEN, heavy, { timeoutMs: 30_000 })));
    let ok = 0;
    let busy = 0;
    for (const r of results) {
      if (r.status === 'fulfilled') {
        ok += 1;
        assert.ok(maxAbsDiff(r.value.logits, expected) <= 1e-5);
      } else {
        const e = r.reason as OffloadServerError;
        assert.ok(e instanceof OffloadServerError && e.status === 503, `${(e as Error).message}`);
        assert.equal(e.retryAfterS, 1);
        assert.match(e.message, /busy: 2 inferences running and 4 queued/);
        busy += 1;
      }
    }
    assert.ok(ok >= 2 && busy >= 1, `${ok} served, ${busy} refused as busy`);
    assert.ok(server.stats().peakAdmitted <= 6, `peak admitted ${server.stats().peakAdmitted}`);
    await stillServes();
  });

  test('other paths and methods: 404 and 405; a CORS preflight is answered for the browser host', async () => {
    const r = await rawRequest({ port: server.port, head: 'GET /v1/infer HTTP/1.1\r\nConnection: close' });
    assert.equal(r.status, 405);
    const r2 = await rawRequest({ port: server.port, head: 'POST /predict HTTP/1.1\r\nContent-Length: 0\r\nConnection: close' });
    assert.equal(r2.status, 404);
    const r3 = await rawRequest({ port: server.port, head: 'OPTIONS /v1/infer HTTP/1.1\r\nOrigin: http://127.0.0.1:9\r\nAccess-Control-Request-Method: POST\r\nConnection: close' });
    assert.equal(r3.status, 204);
    assert.match(r3.headers, /Access-Control-Allow-Headers: authorization, content-type/i);
    await stillServes();
  });
});
