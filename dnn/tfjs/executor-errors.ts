/** A weight set that does not fit its spec: a missing layer entry or array, or a wrong length. */
export class WeightSetError extends Error {
  constructor(modelName: string, layerId: string, problem: string) {
    super(`weights for model "${modelName}", layer "${layerId}": ${problem}`);
    this.name = 'WeightSetError';
  }
}

/** An input tensor the executor cannot run, or an executor used after dispose(). */
export class ExecutorInputError extends Error {
  constructor(modelName: string, problem: string) {
    super(`running model "${modelName}": ${problem}`);
    this.name = 'ExecutorInputError';
  }
}
