/** A bench plan that cannot be made or read: the message names the input and what is wrong. */
export class BenchPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchPlanError';
  }
}
