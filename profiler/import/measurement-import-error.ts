/** Measurements that cannot be imported: names the file, the line and the column (when there is one). */
export class MeasurementImportError extends Error {
  readonly file: string;
  readonly line: number | null;

  constructor(file: string, line: number | null, column: string | null, problem: string) {
    const where = line === null ? '' : `, line ${line}${column === null ? '' : `, column '${column}'`}`;
    super(`cannot import measurements from ${file}${where}: ${problem}`);
    this.name = 'MeasurementImportError';
    this.file = file;
    this.line = line;
  }
}

/** A whole-model timing names a model the studio does not know: names the model, the file and the line. */
export class UnknownModelError extends MeasurementImportError {
  readonly model: string;

  constructor(file: string, line: number | null, model: string, hint: string) {
    super(file, line, line === null ? null : 'model', `unknown model '${model}' (${hint})`);
    this.name = 'UnknownModelError';
    this.model = model;
  }
}
