/** parseArgs with the CLI's conventions: strict, a shared --json/--help, usage errors as UsageError. */
import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The option may repeat; its value is then a list. */
  multiple?: boolean;
}

export interface ParsedCommand {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export function parseCommand(command: string, args: string[], options: Record<string, OptionSpec>): ParsedCommand {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedCommand['values'], positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(`edgetree ${command}: ${message} (see edgetree ${command} --help)`);
  }
}

export function stringOption(parsed: ParsedCommand, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requiredString(command: string, parsed: ParsedCommand, name: string): string {
  const v = stringOption(parsed, name);
  if (v === undefined || v === '') throw new UsageError(`edgetree ${command}: --${name} is required (see edgetree ${command} --help)`);
  return v;
}

/** A number option: finite, and where asked an integer or positive. */
export function numberOption(command: string, name: string, text: string, kind: 'integer' | 'positive'): number {
  const n = Number(text);
  const ok = text.trim() !== '' && Number.isFinite(n) && (kind === 'integer' ? Number.isInteger(n) && n >= 0 : n > 0);
  if (!ok) {
    const want = kind === 'integer' ? 'a whole number >= 0' : 'a number > 0';
    throw new UsageError(`edgetree ${command}: --${name} must be ${want}, got "${text}"`);
  }
  return n;
}

export function onePositional(command: string, parsed: ParsedCommand, what: string): string {
  if (parsed.positionals.length !== 1) {
    throw new UsageError(`edgetree ${command}: expected one ${what}, got ${parsed.positionals.length} (see edgetree ${command} --help)`);
  }
  return parsed.positionals[0];
}
