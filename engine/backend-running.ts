import * as tf from '@tensorflow/tfjs';

/**
 * Whether `name` is tf's current backend and actually started: after a failed
 * start tf.getBackend() still names it, but no backend instance is registered.
 */
export function isRunning(name: string | undefined): boolean {
  return name !== undefined && tf.getBackend() === name && tf.findBackend(name) !== null;
}
