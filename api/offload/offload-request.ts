/**
 * The offload request: which model, where it was cut, and every tensor that
 * crosses the cut (dnn/spec/cut-crossings.ts order) with its batch-first shape.
 * Encoding and the structural check of a received header; whether the shapes
 * fit the model is the server's check.
 */
import { OffloadProtocolError } from './offload-protocol-error.ts';
import { REQUEST_MAGIC, encodeFrame } from './offload-frame.ts';

export const OFFLOAD_PROTOCOL_VERSION = 1;
/** More tensors than any cut of a sane model has (resnet18: 2). */
export const MAX_OFFLOAD_TENSORS = 64;
const MAX_DIMS = 8;

export interface OffloadTensorHeader {
  /** The producing layer's id, or '@input'. */
  producer: string;
  dtype: 'float32';
  /** Batch first: [N, ...the layer's output shape]. */
  shape: number[];
}

export interface OffloadRequestHeader {
  v: typeof OFFLOAD_PROTOCOL_VERSION;
  /** The server's key for the base model, e.g. "vgg11/fashion-mnist". */
  model: string;
  /** Layers [0, cut) ran on the device; the server runs [cut, L). */
  cut: number;
  batch: number;
  tensors: OffloadTensorHeader[];
}

export interface OffloadTensor {
  producerId: string;
  shape: readonly number[];
  data: Float32Array;
}

export interface OffloadRequest {
  model: string;
  cut: number;
  tensors: readonly OffloadTensor[];
}

/** Elements of a shape; throws when it is not a list of positive whole numbers. */
export function shapeElements(shape: unknown, what: string): number {
  if (!Array.isArray(shape) || shape.length === 0 || shape.length > MAX_DIMS) {
    throw new OffloadProtocolError(`${what}: shape must be a list of 1 to ${MAX_DIMS} dimensions, got ${JSON.stringify(shape)}`);
  }
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || (d as number) <= 0) throw new OffloadProtocolError(`${what}: shape ${JSON.stringify(shape)} has a dimension that is not a positive whole number`);
    n *= d as number;
  }
  if (n > 2 ** 31) throw new OffloadProtocolError(`${what}: shape ${JSON.stringify(shape)} has ${n} elements, more than any request can carry`);
  return n;
}

/** The request as one HTTP body. Throws OffloadProtocolError when an array does not fit its shape or batches differ. */
export function encodeOffloadRequest(req: OffloadRequest): Uint8Array<ArrayBuffer> {
  if (req.tensors.length === 0) throw new OffloadProtocolError('a request carries at least one tensor');
  const batch = req.tensors[0].shape[0];
  const tensors = req.tensors.map((t, k): OffloadTensorHeader => {
    const n = shapeElements(t.shape, `tensor ${k} ("${t.producerId}")`);
    if (t.data.length !== n) throw new OffloadProtocolError(`tensor ${k} ("${t.producerId}"): ${t.data.length} values for shape [${t.shape.join(', ')}] (${n})`);
    if (t.shape[0] !== batch) throw new OffloadProtocolError(`tensor ${k} ("${t.producerId}"): batch ${t.shape[0]}, tensor 0 has ${batch}`);
    return { producer: t.producerId, dtype: 'float32', shape: [...t.shape] };
  });
  const header: OffloadRequestHeader = { v: OFFLOAD_PROTOCOL_VERSION, model: req.model, cut: req.cut, batch, tensors };
  return encodeFrame(REQUEST_MAGIC, header, req.tensors.map((t) => t.data));
}

/** Checks a received header's structure; throws OffloadProtocolError naming the first field that is wrong. */
export function parseOffloadRequestHeader(json: unknown): OffloadRequestHeader {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new OffloadProtocolError('the header must be a JSON object');
  const h = json as Record<string, unknown>;
  if (h.v !== OFFLOAD_PROTOCOL_VERSION) throw new OffloadProtocolError(`protocol version ${JSON.stringify(h.v)} is not supported (this server speaks ${OFFLOAD_PROTOCOL_VERSION})`);
  if (typeof h.model !== 'string' || h.model.length === 0 || h.model.length > 200) throw new OffloadProtocolError('"model" must be a model key of 1 to 200 characters');
  if (!Number.isInteger(h.cut) || (h.cut as number) < 0) throw new OffloadProtocolError(`"cut" must be a whole number >= 0, got ${JSON.stringify(h.cut)}`);
  if (!Number.isInteger(h.batch) || (h.batch as number) < 1) throw new OffloadProtocolError(`"batch" must be a whole number >= 1, got ${JSON.stringify(h.batch)}`);
  if (!Array.isArray(h.tensors) || h.tensors.length === 0 || h.tensors.length > MAX_OFFLOAD_TENSORS) {
    throw new OffloadProtocolError(`"tensors" must list 1 to ${MAX_OFFLOAD_TENSORS} tensors`);
  }
  const tensors = h.tensors.map((t: unknown, k: number): OffloadTensorHeader => {
    if (typeof t !== 'object' || t === null) throw new OffloadProtocolError(`tensor ${k} must be an object`);
    const e = t as Record<string, unknown>;
    if (typeof e.producer !== 'string' || e.producer.length === 0) throw new OffloadProtocolError(`tensor ${k}: "producer" must name the layer that made it`);
    if (e.dtype !== 'float32') throw new OffloadProtocolError(`tensor ${k} ("${e.producer}"): dtype ${JSON.stringify(e.dtype)} is not supported (float32 only)`);
    shapeElements(e.shape, `tensor ${k} ("${e.producer}")`);
    const shape = e.shape as number[];
    if (shape[0] !== h.batch) throw new OffloadProtocolError(`tensor ${k} ("${e.producer}"): shape [${shape.join(', ')}] does not start with the batch ${String(h.batch)}`);
    return { producer: e.producer, dtype: 'float32', shape: [...shape] };
  });
  return { v: OFFLOAD_PROTOCOL_VERSION, model: h.model, cut: h.cut as number, batch: h.batch as number, tensors };
}

/** Payload bytes a header declares: every tensor's float32 values. */
export function declaredPayloadBytes(header: OffloadRequestHeader): number {
  return header.tensors.reduce((s, t, k) => s + 4 * shapeElements(t.shape, `tensor ${k}`), 0);
}
