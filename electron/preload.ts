/**
 * The sandboxed preload: exposes exactly one object, `window.edgetree`, with one
 * function per StudioApi method, each a single `ipcRenderer.invoke('studio:<method>')`.
 * No ipcRenderer pass-through. Replies are `{ result }` or `{ error }`; the renderer's
 * api-client unwraps them and re-throws errors with their name and message.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { STUDIO_METHODS } from '../api/studio-api.ts';
import type { StudioBridge } from '../api/studio-bridge.ts';

const bridge = Object.fromEntries(
  STUDIO_METHODS.map((method) => [method, (request: unknown) => ipcRenderer.invoke(`studio:${method}`, request)]),
) as StudioBridge;

contextBridge.exposeInMainWorld('edgetree', bridge);
