#!/usr/bin/env node
// `npm start`: builds the renderer if needed, then opens the Electron studio when
// Electron's binary is installed, and otherwise starts browser mode and prints its URL.
// Data lives under $EDGETREE_HOME (default ~/.edgetree).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const rendererDist = join(root, 'renderer', 'dist');
const home = process.env.EDGETREE_HOME?.trim() ? resolve(process.env.EDGETREE_HOME) : join(homedir(), '.edgetree');

function runNode(args, what) {
  console.log(`start: ${what}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`start: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

/** The Electron executable's path when the binary is installed, else null. */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    // electron/index.js throws when its binary was never downloaded.
    return null;
  }
}

if (!existsSync(join(rendererDist, 'index.html'))) {
  runNode([join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts'], 'building the renderer (renderer/dist is missing)');
}

const electron = electronBinary();
if (electron !== null) {
  if (!existsSync(join(root, 'electron', 'dist', 'main.mjs'))) runNode([join(root, 'scripts', 'build-electron.mjs')], 'building the Electron main process');
  console.log(`start: opening the Electron studio (EDGETREE_HOME=${home})`);
  const child = spawn(electron, [join(root, 'electron', 'dist', 'main.mjs')], { cwd: root, stdio: 'inherit', env: { ...process.env, EDGETREE_HOME: home } });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
} else {
  console.log("start: Electron's binary is not installed (it cannot be downloaded on this machine); starting browser mode");
  const { register } = await import('tsx/esm/api');
  register();
  const { startBrowserServer } = await import('../server/browser-server.ts');
  const port = process.env.EDGETREE_PORT ? Number(process.env.EDGETREE_PORT) : 0;
  const server = await startBrowserServer({ home, port, staticDir: rendererDist });
  console.log(`start: EDGETREE_HOME=${home}`);
  console.log(`start: open the studio at ${server.url}`);
  console.log('start: the token in the URL is required; it changes at every launch. Ctrl-C stops the server.');
  const stop = () => {
    console.log('\nstart: stopping');
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
