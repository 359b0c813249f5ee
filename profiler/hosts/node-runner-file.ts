/** The bundled Node runner's file name, in the bundle folder and in the device's work dir. */
export const NODE_RUNNER_FILE = 'edgetree-runner.cjs';
