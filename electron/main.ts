/**
 * Electron's main process: one sandboxed window on the built renderer, the studio's
 * services behind validated IPC, and everything else denied (navigation, new windows,
 * permission requests, remote content).
 */
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy.ts';
import { createStudioServices } from '../services/studio-services.ts';
import type { StudioServices } from '../services/studio-services.ts';
import { resolveHome } from '../profiles/home.ts';
import { registerStudioIpc } from './ipc-handlers.ts';
import { isTrustedSender } from './ipc-guard.ts';
import type { TrustedPages } from './ipc-guard.ts';
import { studioWindowOptions } from './window-options.ts';

// This file runs bundled as the ES module electron/dist/main.mjs (scripts/build-electron.mjs), so its folder is electron/dist.
const here = dirname(fileURLToPath(import.meta.url));
const rendererIndex = join(here, '..', '..', 'renderer', 'dist', 'index.html');
const preloadPath = join(here, 'preload.cjs');
const devUrl = process.env.EDGETREE_DEV_URL;
const trusted: TrustedPages = { fileUrl: pathToFileURL(rendererIndex).href, ...(devUrl && { devOrigin: new URL(devUrl).origin }) };

let services: StudioServices | null = null;

function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function createWindow(): void {
  const win = new BrowserWindow(studioWindowOptions(preloadPath));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedSender(url, trusted)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser, never in the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererIndex);
}

app.enableSandbox();
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedSender(url, trusted)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

void app.whenReady().then(() => {
  hardenSession();
  services = createStudioServices({ home: resolveHome(), mode: 'electron' });
  registerStudioIpc(ipcMain, services, trusted);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => {
  services?.close();
  services = null;
});
