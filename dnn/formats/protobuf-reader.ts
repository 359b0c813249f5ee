/**
 * A small reader of the protocol buffers wire format: varints, 64- and 32-bit
 * fixed fields, length-delimited fields and packed or unpacked repeated ints.
 * Enough to walk an ONNX ModelProto without a schema compiler. Every read checks
 * the bounds, so corrupt or truncated bytes raise ProtobufError instead of
 * reading past the end or looping.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** Bytes that are not a well-formed protobuf message; `offset` is where reading failed. */
export class ProtobufError extends Error {
  readonly offset: number;

  constructor(problem: string, offset: number) {
    super(`${problem} at byte ${offset}`);
    this.name = 'ProtobufError';
    this.offset = offset;
  }
}

export interface FieldTag {
  field: number;
  wireType: number;
}

const TWO_POW_32 = 4294967296;
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class ProtobufReader {
  private pos: number;
  private readonly end: number;
  private readonly view: DataView;

  /** Reads `bytes` from `start` to `end`; offsets in errors count from the start of `bytes`. */
  constructor(private readonly bytes: Uint8Array, start = 0, end = bytes.length) {
    this.pos = start;
    this.end = end;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get offset(): number {
    return this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  readTag(): FieldTag {
    const at = this.pos;
    const key = this.readVarint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new ProtobufError('field number 0', at);
    if (wireType !== WIRE_VARINT && wireType !== WIRE_FIXED64 && wireType !== WIRE_LENGTH_DELIMITED && wireType !== WIRE_FIXED32) {
      throw new ProtobufError(`unsupported wire type ${wireType} for field ${field}`, at);
    }
    return { field, wireType };
  }

  /**
   * A varint as a JavaScript number: exact up to 2^53, and negative int64 values
   * (ten-byte two's complement, e.g. -1 in an ONNX Reshape shape) come back negative.
   */
  readVarint(): number {
    const at = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint', at);
      const b = this.bytes[this.pos++];
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >> 4;
      } else hi |= bits << (7 * i - 32);
      if ((b & 0x80) === 0) {
        lo >>>= 0;
        hi >>>= 0;
        if (hi & 0x80000000) return -((~hi >>> 0) * TWO_POW_32 + (~lo >>> 0) + 1);
        return hi * TWO_POW_32 + lo;
      }
    }
    throw new ProtobufError('varint longer than 10 bytes', at);
  }

  readFixed32Float(): number {
    this.need(4);
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }

  readFixed64Double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** The payload of a length-delimited field, as a view (no copy). */
  readBytes(): Uint8Array {
    const [start, end] = this.readLengthDelimited();
    return this.bytes.subarray(start, end);
  }

  readString(): string {
    return utf8.decode(this.readBytes());
  }

  /** A reader over the payload of a length-delimited field (an embedded message). */
  readMessage(): ProtobufReader {
    const [start, end] = this.readLengthDelimited();
    return new ProtobufReader(this.bytes, start, end);
  }

  /** One element of a repeated integer field, or all of them when the field is packed. */
  readRepeatedVarints(wireType: number, into: number[]): void {
    if (wireType === WIRE_VARINT) {
      into.push(this.readVarint());
      return;
    }
    if (wireType !== WIRE_LENGTH_DELIMITED) throw new ProtobufError(`repeated integer field with wire type ${wireType}`, this.pos);
    const packed = this.readMessage();
    while (!packed.atEnd()) into.push(packed.readVarint());
  }

  /** One element of a repeated float field, or all of them when the field is packed. */
  readRepeatedFloats(wireType: number, into: number[]): void {
    if (wireType === WIRE_FIXED32) {
      into.push(this.readFixed32Float());
      return;
    }
    if (wireType !== WIRE_LENGTH_DELIMITED) throw new ProtobufError(`repeated float field with wire type ${wireType}`, this.pos);
    const packed = this.readMessage();
    while (!packed.atEnd()) into.push(packed.readFixed32Float());
  }

  /** Skips a field of this wire type that the caller does not need. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.readVarint();
        return;
      case WIRE_FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LENGTH_DELIMITED:
        this.readLengthDelimited();
        return;
      case WIRE_FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ProtobufError(`cannot skip wire type ${wireType}`, this.pos);
    }
  }

  private readLengthDelimited(): [number, number] {
    const at = this.pos;
    const length = this.readVarint();
    if (length < 0 || length > this.end - this.pos) {
      throw new ProtobufError(`length ${length} runs past the end of the message (${this.end - this.pos} bytes left)`, at);
    }
    const start = this.pos;
    this.pos += length;
    return [start, this.pos];
  }

  private need(count: number): void {
    if (this.end - this.pos < count) throw new ProtobufError(`truncated: ${count} bytes needed, ${this.end - this.pos} left`, this.pos);
  }
}
