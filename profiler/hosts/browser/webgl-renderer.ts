/**
 * The WebGL renderer a page would get, read before choosing a TF.js backend: headless
 * Chromium and GPU-less browsers give WebGL through a software rasterizer (SwiftShader,
 * llvmpipe), which is far slower than WASM and says nothing about the device's GPU.
 */

export interface WebglRenderer {
  /** The unmasked renderer string, or null when the page gets no WebGL context. */
  renderer: string | null;
  software: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

export function probeWebglRenderer(doc: Document): WebglRenderer {
  const canvas = doc.createElement('canvas');
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return { renderer: null, software: false };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { renderer, software: SOFTWARE.test(renderer) };
}
