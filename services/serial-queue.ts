/**
 * Runs jobs one at a time in start order. Searches and emulations share one: each loads
 * (and the first may distil) the same model's variants and evaluates accuracy on the
 * same CPU, so two at once would only race for both.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  /** Starts `fn` once every job queued before it has settled; resolves with its result. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}
