/** The studio's version, from package.json (bundled by esbuild for Electron, read by tsx elsewhere). */
import packageJson from '../package.json' with { type: 'json' };

export const STUDIO_VERSION: string = packageJson.version;
