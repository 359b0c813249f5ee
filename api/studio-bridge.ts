/** The shape of `window.edgetree` as the preload exposes it (types only): the preload builds it, the renderer's api-client consumes it. */
import type { ApiErrorBody, StudioMethod } from './studio-api.ts';

export type BridgeReply = { result: unknown } | ApiErrorBody;
export type StudioBridge = { [M in StudioMethod]: (request: unknown) => Promise<BridgeReply> };
