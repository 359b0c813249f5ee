/**
 * A data set that cannot be read: a missing package, file or folder, a corrupt or
 * truncated file, an image that does not decode. The message names the file or folder
 * and what is wrong with it (and, for a missing package, how to install it).
 */
export class DatasetError extends Error {
  /** The file or folder the error is about. */
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'DatasetError';
    this.path = path;
  }
}
