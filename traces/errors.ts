/** Errors raised while reading or using a bandwidth trace. */

/**
 * A trace file that cannot be read. The message names the file, the line (1-based)
 * and what is wrong, e.g. `norway_bus_1 line 7: expected 2 numeric columns "time_s Mbit/s", got "12.0 abc"`.
 * `line` is 0 when the problem is the file as a whole (empty, too few samples, unknown format).
 */
export class TraceParseError extends Error {
  readonly fileName: string;
  readonly line: number;

  constructor(fileName: string, line: number, problem: string) {
    super(line > 0 ? `${fileName} line ${line}: ${problem}` : `${fileName}: ${problem}`);
    this.name = 'TraceParseError';
    this.fileName = fileName;
    this.line = line;
  }
}

/** A BandwidthTrace object that breaks the type's invariants (built by code, not parsed). */
export class InvalidTraceError extends Error {
  constructor(traceName: string, problem: string) {
    super(`trace "${traceName}": ${problem}`);
    this.name = 'InvalidTraceError';
  }
}
