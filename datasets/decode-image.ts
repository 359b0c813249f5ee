/**
 * One image file's bytes to RGB (3 channels, HWC): JPEG by jpeg-js, PNG by pngjs, both
 * pure JavaScript. Greyscale images come out with the grey value in all three channels;
 * a PNG's alpha is dropped.
 */
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { DatasetError } from '../dnn/data/dataset-error.ts';

export interface RgbImage {
  width: number;
  height: number;
  /** width * height * 3 bytes, HWC. */
  data: Uint8Array;
}

export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png'];

export function decodeImage(bytes: Uint8Array, path: string): RgbImage {
  const isPng = bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) throw new DatasetError(path, 'is neither a JPEG nor a PNG image (unknown signature)');
  try {
    if (isJpeg) {
      const img = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false });
      return { width: img.width, height: img.height, data: img.data };
    }
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const rgb = new Uint8Array(png.width * png.height * 3);
    for (let p = 0, q = 0; p < png.data.length; p += 4, q += 3) {
      rgb[q] = png.data[p];
      rgb[q + 1] = png.data[p + 1];
      rgb[q + 2] = png.data[p + 2];
    }
    return { width: png.width, height: png.height, data: rgb };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new DatasetError(path, `cannot decode this ${isJpeg ? 'JPEG' : 'PNG'} image: ${why}`);
  }
}
