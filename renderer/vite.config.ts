// Builds the renderer into renderer/dist with relative asset paths (base './'), so the
// same files load from file:// in Electron and from the browser-mode server.
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

// The CSP meta tag only in the build: the dev server injects an inline script for React refresh.
// frame-ancestors is ignored (with a console warning) in a meta tag, so it stays in the headers only.
const metaPolicy = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
function cspMetaTag(): Plugin {
  return {
    name: 'edgetree-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: metaPolicy }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), cspMetaTag()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // No inline module-preload polyfill: script-src 'self' forbids inline scripts.
    modulePreload: { polyfill: false },
  },
});
