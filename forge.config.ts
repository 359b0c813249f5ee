// Electron Forge 7: `npm run make` packages the studio as a zip (all platforms) and a .deb.
// It needs Electron's binary and the maker packages (@electron-forge/maker-zip,
// @electron-forge/maker-deb), which are not installed on machines without internet:
// there, installs run with ELECTRON_SKIP_BINARY_DOWNLOAD=1 and `make` cannot work;
// use `npm start` (browser mode) instead.
import type { ForgeConfig } from '@electron-forge/shared-types';

const config: ForgeConfig = {
  packagerConfig: {
    name: 'EdgeTree Studio',
    executableName: 'edgetree-studio',
    asar: { unpack: '**/node_modules/{better-sqlite3,onnxruntime-node}/**' },
    // Ship the built main/preload and renderer only, not the TypeScript sources and tests.
    ignore: [/^\/(api|cli|dnn|latency|search|traces|services|profiles|server|test|scripts|\.ci)\//, /^\/renderer\/(?!dist)/, /^\/electron\/(?!dist)/, /\.test\.ts$/],
  },
  rebuildConfig: { onlyModules: ['better-sqlite3'] },
  makers: [
    { name: '@electron-forge/maker-zip', platforms: ['linux', 'darwin', 'win32'], config: {} },
    { name: '@electron-forge/maker-deb', platforms: ['linux'], config: { options: { maintainer: 'EdgeTree Studio' } } },
  ],
};

export default config;
