/** Shared by the JSON formats: decode bytes as UTF-8 JSON, with errors naming the file. */
import { ModelImportError } from './errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether the bytes start (after a BOM and white space) with `{`: cheap, no full parse. */
export function looksLikeJsonObject(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x7b;
}

/** Parses the bytes as JSON, or undefined when they are not UTF-8 JSON. */
export function tryParseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
}

export function parseJson(fileName: string, bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ModelImportError(fileName, 'the file is not UTF-8 text');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelImportError(fileName, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
