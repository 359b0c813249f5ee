import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufError, ProtobufReader, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './protobuf-reader.ts';

const reader = (...bytes: number[]): ProtobufReader => new ProtobufReader(Uint8Array.from(bytes));

describe('protobuf wire-format reader', () => {
  test('varints: 1 byte, 2 bytes (300 = AC 02), and a negative int64 (-1 = nine FF then 01)', () => {
    assert.equal(reader(0x05).readVarint(), 5);
    assert.equal(reader(0xac, 0x02).readVarint(), 300);
    assert.equal(reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).readVarint(), -1);
    // 2^32 = 80 80 80 80 10
    assert.equal(reader(0x80, 0x80, 0x80, 0x80, 0x10).readVarint(), 4294967296);
  });

  test('a tag splits into field number and wire type (0x12: field 2, length-delimited)', () => {
    assert.deepEqual(reader(0x12).readTag(), { field: 2, wireType: WIRE_LENGTH_DELIMITED });
    assert.deepEqual(reader(0x08).readTag(), { field: 1, wireType: WIRE_VARINT });
  });

  test('repeated ints, packed (one length-delimited run) or unpacked (one varint each)', () => {
    const packed: number[] = [];
    reader(0x03, 0x01, 0xac, 0x02).readRepeatedVarints(WIRE_LENGTH_DELIMITED, packed);
    assert.deepEqual(packed, [1, 300]);
    const unpacked: number[] = [];
    const r = reader(0x07, 0x09);
    r.readRepeatedVarints(WIRE_VARINT, unpacked);
    r.readRepeatedVarints(WIRE_VARINT, unpacked);
    assert.deepEqual(unpacked, [7, 9]);
  });

  test('a string and an embedded message are read within their lengths', () => {
    const r = reader(0x03, 0x61, 0x62, 0x63, 0x02, 0x08, 0x2a);
    assert.equal(r.readString(), 'abc');
    const inner = r.readMessage();
    assert.deepEqual(inner.readTag(), { field: 1, wireType: WIRE_VARINT });
    assert.equal(inner.readVarint(), 42);
    assert.equal(inner.atEnd(), true);
    assert.equal(r.atEnd(), true);
  });

  test('corrupt bytes raise ProtobufError with the offset, never read past the end', () => {
    assert.throws(() => reader(0x80, 0x80).readVarint(), (e: unknown) => e instanceof ProtobufError && /truncated varint at byte 0/.test(e.message));
    assert.throws(() => reader(0x05, 0x61).readBytes(), (e: unknown) => e instanceof ProtobufError && /length 5 runs past the end/.test(e.message));
    assert.throws(() => reader(0x0b).readTag(), (e: unknown) => e instanceof ProtobufError && /wire type 3/.test(e.message));
    assert.throws(() => reader(...new Array<number>(11).fill(0xff)).readVarint(), /longer than 10 bytes/);
  });
});
