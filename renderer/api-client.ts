/**
 * The renderer's one StudioApi: the Electron preload's `window.edgetree` when it is
 * there, else the browser-mode HTTP client carrying the per-launch token.
 */
import type { StudioApi } from '../api/studio-api.ts';
import type { StudioBridge } from '../api/studio-bridge.ts';
import { bridgeStudioApi } from './bridge-studio-api.ts';
import { httpStudioApi, takeTokenFromAddressBar } from './http-studio-api.ts';

declare global {
  interface Window {
    edgetree?: StudioBridge;
  }
}

export type ClientKind = 'electron' | 'browser';

export function createApiClient(): { api: StudioApi; kind: ClientKind } {
  if (window.edgetree !== undefined) return { api: bridgeStudioApi(window.edgetree), kind: 'electron' };
  return { api: httpStudioApi(takeTokenFromAddressBar()), kind: 'browser' };
}
