/** Zero padding around each image of an NHWC batch (Fashion-MNIST's 28x28 to 32x32). */

export function padImages(pixels: Uint8Array, count: number, height: number, width: number, channels: number, pad: number): Uint8Array {
  const h2 = height + 2 * pad;
  const w2 = width + 2 * pad;
  const out = new Uint8Array(count * h2 * w2 * channels);
  const row = width * channels;
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < height; y++) {
      const src = ((n * height + y) * width) * channels;
      const dst = ((n * h2 + y + pad) * w2 + pad) * channels;
      out.set(pixels.subarray(src, src + row), dst);
    }
  }
  return out;
}
