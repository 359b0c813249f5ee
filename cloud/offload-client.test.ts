import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { offloadInference } from './offload-client.ts';
import { OffloadAbortedError, OffloadTimeoutError, OffloadUnreachableError } from './offload-errors.ts';
import type { OffloadRequest } from '../api/offload/offload-request.ts';

const request: OffloadRequest = { model: 'm', cut: 1, tensors: [{ producerId: 'a', shape: [1, 4], data: new Float32Array(4) }] };

/** A TCP server that accepts and never answers, so only the client's own limits end a request. */
async function silentServer(): Promise<{ server: Server; url: string; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => { sockets.push(s); s.resume(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}`, sockets };
}

async function stop(s: { server: Server; sockets: Socket[] }): Promise<void> {
  s.sockets.forEach((x) => x.destroy());
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
}

describe('offloadInference: each fault has its own error', () => {
  test('nothing listening: OffloadUnreachableError with the reason', async () => {
    const s = await silentServer();
    const url = s.url;
    await stop(s);
    await assert.rejects(offloadInference(url, 't', request, { timeoutMs: 5000 }), (e: Error) => {
      assert.ok(e instanceof OffloadUnreachableError, `${e.name}: ${e.message}`);
      assert.match(e.message, new RegExp(`cloud server ${url} is unreachable: .*ECONNREFUSED`));
      return true;
    });
  });

  test('a server that never answers: OffloadTimeoutError after timeoutMs, not much later', async () => {
    const s = await silentServer();
    const t0 = performance.now();
    await assert.rejects(offloadInference(s.url, 't', request, { timeoutMs: 300 }), (e: Error) => e instanceof OffloadTimeoutError && /did not answer within 300 ms/.test(e.message));
    const waited = performance.now() - t0;
    assert.ok(waited >= 290 && waited < 3000, `gave up after ${waited} ms`);
    await stop(s);
  });

  test("the caller's signal: OffloadAbortedError", async () => {
    const s = await silentServer();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(offloadInference(s.url, 't', request, { timeoutMs: 5000, signal: controller.signal }), (e: Error) => e instanceof OffloadAbortedError);
    await stop(s);
  });
});
