// Where the project's shared, read-only data lives: `../shared` beside the checkout,
// as on developers' machines and in CI.
import { fileURLToPath } from 'node:url';

export const SHARED_DIR = fileURLToPath(new URL('../../shared/', import.meta.url));
export const TRACES_DIR = `${SHARED_DIR}data/traces`;
