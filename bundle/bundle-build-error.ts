/** A bundle that cannot be built from what it was given; the message names the input and what is wrong. */
export class BundleBuildError extends Error {
  constructor(problem: string) {
    super(`bundle: ${problem}`);
    this.name = 'BundleBuildError';
  }
}
