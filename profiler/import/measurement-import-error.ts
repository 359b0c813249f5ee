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
