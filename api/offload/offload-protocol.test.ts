import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FRAME_PREFIX_BYTES, REQUEST_MAGIC, decodeFrame, floatViews, readFramePrefix } from './offload-frame.ts';
import { declaredPayloadBytes, encodeOffloadRequest, parseOffloadRequestHeader } from './offload-request.ts';
import { decodeOffloadResponse, encodeOffloadResponse } from './offload-response.ts';
import { OffloadProtocolError } from './offload-protocol-error.ts';

describe('offload protocol frames', () => {
  const request = {
    model: 'resnet18/cifar10',
    cut: 5,
    tensors: [
      { producerId: 'stem_relu', shape: [1, 2, 2, 1], data: new Float32Array([1, 2, 3, 4]) },
      { producerId: 's1b1_conv1', shape: [1, 3], data: new Float32Array([-1.5, 0, 7]) },
    ],
  };

  test('a request round-trips: header fields, payload 4-byte aligned, values in order', () => {
    const body = encodeOffloadRequest(request);
    assert.equal(String.fromCharCode(...body.subarray(0, 4)), 'ETO1');
    const headerLength = readFramePrefix(body.subarray(0, 8), REQUEST_MAGIC, body.length);
    assert.equal(headerLength % 4, 0);
    // 8-byte prefix + header + 7 floats
    assert.equal(body.length, FRAME_PREFIX_BYTES + headerLength + 7 * 4);
    const { header, payload } = decodeFrame(body, REQUEST_MAGIC);
    const h = parseOffloadRequestHeader(header);
    assert.deepEqual(h, {
      v: 1, model: 'resnet18/cifar10', cut: 5, batch: 1,
      tensors: [{ producer: 'stem_relu', dtype: 'float32', shape: [1, 2, 2, 1] }, { producer: 's1b1_conv1', dtype: 'float32', shape: [1, 3] }],
    });
    assert.equal(declaredPayloadBytes(h), 28);
    const [a, b] = floatViews(payload, [4, 3]);
    assert.deepEqual([...a], [1, 2, 3, 4]);
    assert.deepEqual([...b], [-1.5, 0, 7]);
  });

  test('garbage, a wrong magic and header lengths out of bounds are refused by what is wrong', () => {
    const body = encodeOffloadRequest(request);
    assert.throws(() => readFramePrefix(new TextEncoder().encode('GET / HTTP/1.1'), REQUEST_MAGIC, 14), (e: Error) => e instanceof OffloadProtocolError && /does not start with "ETO1" \(got bytes 47 45 54 20\)/.test(e.message));
    const long = body.slice(0, 8);
    new DataView(long.buffer).setUint32(4, 1 << 20, true);
    assert.throws(() => readFramePrefix(long, REQUEST_MAGIC, 2 << 20), /header length 1048576 must be a positive multiple of 4 up to 16384/);
    assert.throws(() => readFramePrefix(body.subarray(0, 8), REQUEST_MAGIC, 20), /runs past the 20-byte body/);
    const notJson = body.slice();
    notJson[8] = 0x7b;
    notJson[9] = 0x7b;
    assert.throws(() => decodeFrame(notJson, REQUEST_MAGIC), /the header is not JSON/);
  });

  test('header fields: version, dtype, batch and shapes are checked', () => {
    const ok = { v: 1, model: 'm', cut: 0, batch: 2, tensors: [{ producer: '@input', dtype: 'float32', shape: [2, 4] }] };
    assert.equal(parseOffloadRequestHeader(ok).batch, 2);
    assert.throws(() => parseOffloadRequestHeader({ ...ok, v: 2 }), /protocol version 2 is not supported/);
    assert.throws(() => parseOffloadRequestHeader({ ...ok, tensors: [{ ...ok.tensors[0], dtype: 'float16' }] }), /dtype "float16" is not supported \(float32 only\)/);
    assert.throws(() => parseOffloadRequestHeader({ ...ok, tensors: [{ ...ok.tensors[0], shape: [3, 4] }] }), /shape \[3, 4\] does not start with the batch 2/);
    assert.throws(() => parseOffloadRequestHeader({ ...ok, tensors: [{ ...ok.tensors[0], shape: [2, 0] }] }), /not a positive whole number/);
    assert.throws(() => parseOffloadRequestHeader({ ...ok, cut: -1 }), /"cut" must be a whole number >= 0, got -1/);
    assert.throws(() => parseOffloadRequestHeader([1]), /must be a JSON object/);
    assert.throws(() => encodeOffloadRequest({ model: 'm', cut: 0, tensors: [{ producerId: 'x', shape: [1, 3], data: new Float32Array(2) }] }), /2 values for shape \[1, 3\] \(3\)/);
  });

  test('a response round-trips its logits, shape, cloud time and backend', () => {
    const body = encodeOffloadResponse({ shape: [2, 2], logits: new Float32Array([0.5, -1, 3, 4]), cloudMs: 12.5, backend: 'wasm (SIMD, 1 thread)' });
    const r = decodeOffloadResponse(body);
    assert.deepEqual(r.shape, [2, 2]);
    assert.deepEqual([...r.logits], [0.5, -1, 3, 4]);
    assert.equal(r.cloudMs, 12.5);
    assert.equal(r.backend, 'wasm (SIMD, 1 thread)');
    assert.throws(() => decodeOffloadResponse(body.subarray(0, body.length - 4)), /payload of 12 bytes, the header declares 16/);
  });
});
