/**
 * The framing of the cloud offload protocol's HTTP bodies (see cloud/README.md),
 * shared by the Node server, the Node client and the runtime's browser host:
 *
 *   magic   4 bytes ASCII: "ETO1" (request) or "ETR1" (response)
 *   length  uint32 little-endian: bytes of the header that follows
 *   header  UTF-8 JSON, padded with spaces to a multiple of 4 bytes
 *   payload float32 little-endian tensors, one after another in header order
 *
 * The padding keeps the payload 4-byte aligned, so a Float32Array can view it
 * without a copy. Floats are written in the platform's order, little-endian on
 * every phone, board and PC the studio targets.
 */
import { OffloadProtocolError } from './offload-protocol-error.ts';

export const REQUEST_MAGIC = 'ETO1';
export const RESPONSE_MAGIC = 'ETR1';
/** Magic and header length. */
export const FRAME_PREFIX_BYTES = 8;
/** A header names a model, a cut and a few shapes: anything longer is refused unread. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** Encodes a frame: the header as JSON, then the arrays' bytes. */
export function encodeFrame(magic: string, header: unknown, payloads: readonly Float32Array[]): Uint8Array<ArrayBuffer> {
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 4) * 4;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  if (padded > MAX_HEADER_BYTES) throw new OffloadProtocolError(`header of ${padded} bytes is over the ${MAX_HEADER_BYTES}-byte limit`);
  const payloadBytes = payloads.reduce((s, a) => s + a.byteLength, 0);
  const frame = new Uint8Array(FRAME_PREFIX_BYTES + padded + payloadBytes);
  for (let i = 0; i < 4; i++) frame[i] = magic.charCodeAt(i);
  new DataView(frame.buffer).setUint32(4, padded, true);
  frame.set(json, FRAME_PREFIX_BYTES);
  let offset = FRAME_PREFIX_BYTES + padded;
  for (const a of payloads) {
    frame.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += a.byteLength;
  }
  return frame;
}

/**
 * Reads the 8-byte prefix: checks the magic and returns the header length.
 * Throws OffloadProtocolError for another magic or a header length that is not
 * a multiple of 4, is 0, over MAX_HEADER_BYTES or beyond the frame's `totalBytes`.
 */
export function readFramePrefix(prefix: Uint8Array, magic: string, totalBytes: number): number {
  if (prefix.length < FRAME_PREFIX_BYTES) throw new OffloadProtocolError(`a frame starts with ${FRAME_PREFIX_BYTES} bytes, got ${prefix.length}`);
  const seen = String.fromCharCode(...prefix.subarray(0, 4));
  if (seen !== magic) {
    throw new OffloadProtocolError(`the body does not start with "${magic}" (got bytes ${[...prefix.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')})`);
  }
  const length = new DataView(prefix.buffer, prefix.byteOffset, FRAME_PREFIX_BYTES).getUint32(4, true);
  if (length === 0 || length % 4 !== 0 || length > MAX_HEADER_BYTES) {
    throw new OffloadProtocolError(`header length ${length} must be a positive multiple of 4 up to ${MAX_HEADER_BYTES}`);
  }
  if (FRAME_PREFIX_BYTES + length > totalBytes) {
    throw new OffloadProtocolError(`header length ${length} runs past the ${totalBytes}-byte body`);
  }
  return length;
}

/** Parses a header's JSON bytes; throws OffloadProtocolError when they are not UTF-8 JSON. */
export function parseHeaderJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new OffloadProtocolError('the header is not UTF-8 text');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new OffloadProtocolError(`the header is not JSON (${(err as Error).message})`);
  }
}

/** Splits a whole frame into its parsed header and its payload bytes. */
export function decodeFrame(bytes: Uint8Array, magic: string): { header: unknown; payload: Uint8Array } {
  const length = readFramePrefix(bytes.subarray(0, FRAME_PREFIX_BYTES), magic, bytes.length);
  return {
    header: parseHeaderJson(bytes.subarray(FRAME_PREFIX_BYTES, FRAME_PREFIX_BYTES + length)),
    payload: bytes.subarray(FRAME_PREFIX_BYTES + length),
  };
}

/** Float32 views of consecutive tensors in a payload (copied when the payload is not 4-byte aligned). */
export function floatViews(payload: Uint8Array, elementCounts: readonly number[]): Float32Array[] {
  const total = elementCounts.reduce((s, n) => s + n, 0);
  if (payload.byteLength !== total * 4) throw new OffloadProtocolError(`payload of ${payload.byteLength} bytes, the header declares ${total * 4}`);
  const aligned = payload.byteOffset % 4 === 0 ? payload : payload.slice();
  const views: Float32Array[] = [];
  let offset = aligned.byteOffset;
  for (const n of elementCounts) {
    views.push(new Float32Array(aligned.buffer, offset, n));
    offset += n * 4;
  }
  return views;
}
