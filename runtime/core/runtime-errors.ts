/** Why the runtime refuses a model or an input; messages name the model and what is wrong. */

/** A RuntimeModel that cannot run: a broken tree, a work without weights, shapes that do not chain. */
export class RuntimeModelError extends Error {
  constructor(model: string, problem: string) {
    super(`runtime model ${model}: ${problem}`);
    this.name = 'RuntimeModelError';
  }
}

/** An input the runtime cannot take (wrong image shape, a level out of range). */
export class RuntimeInputError extends Error {
  constructor(model: string, problem: string) {
    super(`runtime ${model}: ${problem}`);
    this.name = 'RuntimeInputError';
  }
}

/** The cloud failed at a cut and there is no fallback to finish on the device. */
export class RuntimeCloudError extends Error {
  constructor(model: string, readonly cut: number, readonly reason: string) {
    super(`runtime ${model}: the offload at cut ${cut} failed (${reason}) and the model carries no on-device fallback`);
    this.name = 'RuntimeCloudError';
  }
}
