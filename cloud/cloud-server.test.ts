import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';
import { SpecExecutor } from '../dnn/tfjs/spec-executor.ts';
import { cutCrossings } from '../dnn/spec/cut-crossings.ts';
import { startCloudServer } from './cloud-server.ts';
import type { CloudServer } from './cloud-server.ts';
import type { CloudModelEntry } from './cloud-model.ts';
import { offloadInference } from './offload-client.ts';
import { localLogits, maxAbsDiff, splitRequest } from './testing/split-request.ts';

const TOKEN = 'test-token-5f1c';
const vggSpec = builtinModel('vgg11', 'fashion-mnist');
const resSpec = builtinModel('resnet18', 'cifar10');
const vggWeights = initWeights(vggSpec, 11);
const resWeights = initWeights(resSpec, 12);

let server: CloudServer;
let vgg: SpecExecutor;
let res: SpecExecutor;
let tensorsBefore = 0;
let tensorsWithServer = 0;

before(async () => {
  const info = await initTfjsBackend();
  assert.equal(info.name, 'wasm', info.description);
  tensorsBefore = tf.memory().numTensors;
  const models = new Map<string, CloudModelEntry>([
    ['vgg11/fashion-mnist', { spec: vggSpec, weights: vggWeights }],
    ['resnet18/cifar10', { spec: resSpec, weights: resWeights }],
  ]);
  server = await startCloudServer({ models, token: TOKEN, host: '127.0.0.1', port: 0, maxConcurrent: 2, maxQueue: 8 });
  tensorsWithServer = tf.memory().numTensors;
  // The device side: its own executors with the same weights.
  vgg = new SpecExecutor(vggSpec, vggWeights);
  res = new SpecExecutor(resSpec, resWeights);
});

after(async () => {
  vgg.dispose();
  res.dispose();
  assert.equal(tf.memory().numTensors, tensorsWithServer, 'the server holds no tensor beyond its weights after the requests');
  await server.close();
  assert.equal(tf.memory().numTensors, tensorsBefore, 'close() frees the weights');
});

describe('cloud server: real round trips over loopback', () => {
  test('vgg11 cut in the middle: the cloud finishes the batch as the local full forward does (1e-5)', async () => {
    const cut = Math.floor(vggSpec.layers.length / 2);
    const x = tf.randomNormal([2, ...vggSpec.inputShape], 0, 1, 'float32', 5) as tf.Tensor4D;
    const request = splitRequest(vgg, 'vgg11/fashion-mnist', cut, x);
    const expected = localLogits(vgg, x);
    x.dispose();
    const answer = await offloadInference(server.url, TOKEN, request, { timeoutMs: 20_000 });
    assert.deepEqual(answer.shape, [2, 10]);
    assert.ok(maxAbsDiff(answer.logits, expected) <= 1e-5, `max diff ${maxAbsDiff(answer.logits, expected)}`);
    assert.ok(answer.cloudMs > 0 && answer.roundTripMs >= answer.cloudMs, `cloud ${answer.cloudMs} ms, round trip ${answer.roundTripMs} ms`);
    assert.match(answer.backend, /^wasm/);
  });

  test('resnet18 cut inside a basic block: the skip tensor crosses with the main path and the answer matches', async () => {
    const cut = resSpec.layers.findIndex((l) => l.id === 's2b1_bn1');
    assert.deepEqual(cutCrossings(res.analysis, cut).map((t) => t.producerId), ['s1b2_relu2', 's2b1_conv1']);
    const x = tf.randomNormal([1, ...resSpec.inputShape], 0, 1, 'float32', 6) as tf.Tensor4D;
    const request = splitRequest(res, 'resnet18/cifar10', cut, x);
    assert.deepEqual(request.tensors.map((t) => t.shape), [[1, 32, 32, 64], [1, 16, 16, 128]]);
    const expected = localLogits(res, x);
    x.dispose();
    const answer = await offloadInference(server.url, TOKEN, request, { timeoutMs: 20_000 });
    assert.ok(maxAbsDiff(answer.logits, expected) <= 1e-5, `max diff ${maxAbsDiff(answer.logits, expected)}`);
  });

  test('8 devices at once, each with its own image and cut, all get their own correct answer', async () => {
    const jobs = Array.from({ length: 8 }, (_, i) => {
      const cut = 3 + 3 * i;
      const x = tf.randomNormal([1, ...vggSpec.inputShape], 0, 1, 'float32', 100 + i) as tf.Tensor4D;
      const request = splitRequest(vgg, 'vgg11/fashion-mnist', cut, x);
      const expected = localLogits(vgg, x);
      x.dispose();
      return { request, expected };
    });
    const answers = await Promise.all(jobs.map((j) => offloadInference(server.url, TOKEN, j.request, { timeoutMs: 30_000 })));
    answers.forEach((a, i) => assert.ok(maxAbsDiff(a.logits, jobs[i].expected) <= 1e-5, `device ${i}: max diff ${maxAbsDiff(a.logits, jobs[i].expected)}`));
    const stats = server.stats();
    assert.equal(stats.admitted, 0);
    assert.ok(stats.peakAdmitted >= 2 && stats.peakAdmitted <= 10, `peak admitted ${stats.peakAdmitted}`);
  });

  test('GET /v1/models lists the keys, layer counts and backend for a client with the token', async () => {
    const r = await fetch(`${server.url}/v1/models`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const body = await r.json() as { backend: string; models: { key: string; layers: number }[] };
    assert.deepEqual(body.models.map((m) => [m.key, m.layers]), [['vgg11/fashion-mnist', vggSpec.layers.length], ['resnet18/cifar10', 67]]);
    assert.match(body.backend, /^wasm/);
    const denied = await fetch(`${server.url}/v1/models`);
    assert.equal(denied.status, 401);
    await denied.arrayBuffer();
  });
});
