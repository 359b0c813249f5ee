import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufWriter } from './protobuf-writer.ts';
import { ProtobufReader } from '../../dnn/formats/protobuf-reader.ts';

test('bytes by hand: field 1 varint 150 is 08 96 01; field 2 string "hi" is 12 02 68 69', () => {
  assert.deepEqual([...new ProtobufWriter().varint(1, 150).string(2, 'hi').finish()], [0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69]);
});

test('the studio reader reads back varints (negative ones in ten bytes), floats, packed ints and nested messages', () => {
  const bytes = new ProtobufWriter()
    .varint(1, -1)
    .varint(2, 2 ** 40 + 3)
    .float(3, 1.5)
    .packedVarints(4, [1, 300, 70000])
    .message(5, (m) => m.string(1, 'inner').varint(2, 7))
    .finish();
  assert.equal(bytes.length, 1 + 10 + 1 + 6 + 1 + 4 + 1 + 1 + 6 + 1 + 1 + 9);
  const r = new ProtobufReader(bytes);
  assert.deepEqual(r.readTag(), { field: 1, wireType: 0 });
  assert.equal(r.readVarint(), -1);
  r.readTag();
  assert.equal(r.readVarint(), 2 ** 40 + 3);
  r.readTag();
  assert.equal(r.readFixed32Float(), 1.5);
  const tag = r.readTag();
  const ints: number[] = [];
  r.readRepeatedVarints(tag.wireType, ints);
  assert.deepEqual(ints, [1, 300, 70000]);
  r.readTag();
  const inner = r.readMessage();
  inner.readTag();
  assert.equal(inner.readString(), 'inner');
  inner.readTag();
  assert.equal(inner.readVarint(), 7);
  assert.ok(r.atEnd());
});
