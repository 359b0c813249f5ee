/** The offload response: the model's output for the batch and the server's own compute time. */
import { OffloadProtocolError } from './offload-protocol-error.ts';
import { OFFLOAD_PROTOCOL_VERSION, shapeElements } from './offload-request.ts';
import { RESPONSE_MAGIC, decodeFrame, encodeFrame, floatViews } from './offload-frame.ts';

export interface OffloadResult {
  /** [N, classes] for the built-in models. */
  shape: number[];
  /** The last layer's output (logits, or probabilities when the model ends in softmax). */
  logits: Float32Array;
  /** Server time from receiving the whole body to the output being read back, waits in its queue excluded. */
  cloudMs: number;
  /** The TensorFlow.js backend that ran it, e.g. "wasm (SIMD, 1 thread)". */
  backend: string;
}

interface OffloadResponseHeader {
  v: typeof OFFLOAD_PROTOCOL_VERSION;
  dtype: 'float32';
  shape: number[];
  cloudMs: number;
  backend: string;
}

export function encodeOffloadResponse(result: OffloadResult): Uint8Array<ArrayBuffer> {
  const header: OffloadResponseHeader = { v: OFFLOAD_PROTOCOL_VERSION, dtype: 'float32', shape: result.shape, cloudMs: result.cloudMs, backend: result.backend };
  return encodeFrame(RESPONSE_MAGIC, header, [result.logits]);
}

/** Reads a 200 response body; throws OffloadProtocolError when it is not a well-formed result. */
export function decodeOffloadResponse(bytes: Uint8Array): OffloadResult {
  const { header, payload } = decodeFrame(bytes, RESPONSE_MAGIC);
  if (typeof header !== 'object' || header === null) throw new OffloadProtocolError('the response header must be a JSON object');
  const h = header as Record<string, unknown>;
  if (h.v !== OFFLOAD_PROTOCOL_VERSION || h.dtype !== 'float32') throw new OffloadProtocolError(`response version ${JSON.stringify(h.v)} / dtype ${JSON.stringify(h.dtype)} not understood`);
  if (typeof h.cloudMs !== 'number' || !(h.cloudMs >= 0)) throw new OffloadProtocolError(`response "cloudMs" must be a number >= 0, got ${JSON.stringify(h.cloudMs)}`);
  const n = shapeElements(h.shape, 'response');
  const [logits] = floatViews(payload, [n]);
  return { shape: [...(h.shape as number[])], logits, cloudMs: h.cloudMs, backend: typeof h.backend === 'string' ? h.backend : 'unknown' };
}
