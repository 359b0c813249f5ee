import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { TINY_CHAIN } from '../search/testing/tiny-problem.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';
import { startCloudServer } from './cloud-server.ts';
import type { CloudServer } from './cloud-server.ts';
import { PROBE_MAX_BYTES } from './probe-body.ts';

let server: CloudServer;
before(async () => {
  await initTfjsBackend();
  server = await startCloudServer({ models: new Map([['tiny/x', { spec: TINY_CHAIN, weights: initWeights(TINY_CHAIN, 1) }]]), token: 'probe-token' });
});
after(() => server.close());

const probe = (body: Uint8Array<ArrayBuffer>, token = 'probe-token'): Promise<Response> =>
  fetch(`${server.url}/v1/probe`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body });

describe('cloud server POST /v1/probe (the runtime\'s active bandwidth measurement)', () => {
  test('counts the bytes and answers with CORS; a wrong token is 401 and an oversized probe 413 before its body', async () => {
    const ok = await probe(new Uint8Array(16 * 1024));
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await ok.json(), { bytes: 16384 });
    const bad = await probe(new Uint8Array(10), 'wrong');
    assert.equal(bad.status, 401);
    await bad.arrayBuffer();
    const big = await probe(new Uint8Array(PROBE_MAX_BYTES + 1));
    assert.equal(big.status, 413);
    assert.match(((await big.json()) as { error: string }).error, /a probe of 1048577 bytes is over the limit of 1048576/);
    // The server keeps serving, and probes never count as inferences.
    assert.equal((await probe(new Uint8Array(1))).status, 200);
    assert.equal(server.stats().served, 0);
  });
});
