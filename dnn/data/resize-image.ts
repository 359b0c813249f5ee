/**
 * Bilinear resize of one HWC image, with half-pixel centres (as tf.image.resizeBilinear
 * with halfPixelCenters, and PIL without antialiasing): output pixel (y, x) samples the
 * input at ((y + 0.5) * inH / outH - 0.5, ...), clamped to the edges, rounded to bytes.
 */
export function resizeBilinear(src: Uint8Array, inH: number, inW: number, channels: number, outH: number, outW: number): Uint8Array {
  const out = new Uint8Array(outH * outW * channels);
  const sy = inH / outH;
  const sx = inW / outW;
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), inH - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, inH - 1);
    const wy = fy - y0;
    for (let x = 0; x < outW; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), inW - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, inW - 1);
      const wx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const a = src[(y0 * inW + x0) * channels + c];
        const b = src[(y0 * inW + x1) * channels + c];
        const d = src[(y1 * inW + x0) * channels + c];
        const e = src[(y1 * inW + x1) * channels + c];
        const top = a + (b - a) * wx;
        const bottom = d + (e - d) * wx;
        out[(y * outW + x) * channels + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return out;
}
