/** Errors raised while importing a model file into a model spec. */

/**
 * A model file that cannot be imported. The message names the file, where in it
 * the problem is (a JSON path, a layer or a graph node) and what is wrong, e.g.
 * `model.json: layer 7 'conv3d_1' (Conv3D): layer type Conv3D is not supported`.
 */
export class ModelImportError extends Error {
  readonly fileName: string;
  /** Where in the file: `layer 7 'conv2d_3' (Conv3D)`, `node 12 'Conv_5' (op LSTM)`, `$.model.layers[2].kernel`. */
  readonly position?: string;
  /** The problem alone, without the file and position prefix. */
  readonly problem: string;

  constructor(fileName: string, problem: string, position?: string) {
    super(position === undefined ? `${fileName}: ${problem}` : `${fileName}: ${position}: ${problem}`);
    this.name = 'ModelImportError';
    this.fileName = fileName;
    this.problem = problem;
    if (position !== undefined) this.position = position;
  }
}
