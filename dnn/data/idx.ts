/**
 * The IDX format of MNIST and Fashion-MNIST (yann.lecun.com/exdb/mnist): two zero bytes,
 * a type byte (0x08 = unsigned byte, the only type these data sets use), the number of
 * dimensions, then each dimension as a big-endian uint32, then the data, row-major.
 */
import { DatasetError } from './dataset-error.ts';

export interface IdxArray {
  dims: number[];
  /** The data bytes, a view into the input (no copy). */
  data: Uint8Array;
}

const UBYTE = 0x08;

/** Parses an unsigned-byte IDX file's bytes (already un-gzipped); `fileName` is for messages. */
export function parseIdx(bytes: Uint8Array, fileName: string): IdxArray {
  if (bytes.length < 4) throw new DatasetError(fileName, `truncated IDX file: ${bytes.length} bytes, the header alone takes at least 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UBYTE) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DatasetError(fileName, `bad IDX magic ${magic}: expected 00 00 08 NN (unsigned bytes, NN dimensions); is it gzipped or another file?`);
  }
  const ndims = bytes[3];
  if (ndims === 0) throw new DatasetError(fileName, 'IDX header declares 0 dimensions');
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw new DatasetError(fileName, `truncated IDX file: ${bytes.length} bytes, the ${ndims}-dimension header takes ${headerBytes}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - headerBytes;
  if (have < size) {
    throw new DatasetError(fileName, `truncated IDX file: dimensions ${dims.join('x')} need ${size} data bytes, the file holds ${have}`);
  }
  if (have > size) throw new DatasetError(fileName, `IDX file has ${have - size} bytes beyond its ${dims.join('x')} data`);
  return { dims, data: bytes.subarray(headerBytes, headerBytes + size) };
}
