/**
 * The main-process side of the studio's IPC: one `studio:<method>` channel per
 * StudioApi method. Each handler checks the sending frame, validates the request and
 * calls the services; the reply is `{ result }` or `{ error: { name, message } }`
 * (Electron would otherwise flatten a thrown error into a bare message).
 */
import { dispatchStudioCall } from '../api/dispatch.ts';
import { toApiErrorBody } from '../api/api-error.ts';
import { STUDIO_METHODS } from '../api/studio-api.ts';
import type { StudioApi, StudioMethod } from '../api/studio-api.ts';
import { assertTrustedSender } from './ipc-guard.ts';
import type { TrustedPages } from './ipc-guard.ts';
import type { BridgeReply } from '../api/studio-bridge.ts';

export type IpcReply = BridgeReply;

/** The part of an IpcMainInvokeEvent the handler reads. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

export type StudioIpcHandler = (event: InvokeEventLike, request: unknown) => Promise<IpcReply>;

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: StudioIpcHandler): void;
}

export function studioChannel(method: StudioMethod): string {
  return `studio:${method}`;
}

export function createStudioIpcHandler(api: StudioApi, method: StudioMethod, trusted: TrustedPages): StudioIpcHandler {
  return async (event, request) => {
    try {
      assertTrustedSender(event.senderFrame?.url, trusted);
      return { result: await dispatchStudioCall(api, method, request) };
    } catch (err) {
      return toApiErrorBody(err);
    }
  };
}

export function registerStudioIpc(ipcMain: IpcMainLike, api: StudioApi, trusted: TrustedPages): void {
  for (const method of STUDIO_METHODS) ipcMain.handle(studioChannel(method), createStudioIpcHandler(api, method, trusted));
}
