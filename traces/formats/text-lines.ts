/** Splitting trace text into numbered lines, shared by the format modules. */

export interface NumberedLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

/** Non-blank lines (trimmed, CR stripped) with their 1-based numbers; `#` comment lines dropped when asked. */
export function contentLines(text: string, skipComments: boolean): NumberedLine[] {
  const out: NumberedLine[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i].trim();
    if (t === '' || (skipComments && t.startsWith('#'))) continue;
    out.push({ line: i + 1, text: t });
  }
  return out;
}

/** The trace name for a file name: its last path component. */
export function baseName(fileName: string): string {
  const parts = fileName.split(/[\\/]/);
  return parts[parts.length - 1] || fileName;
}

/** A strict decimal number (no hex, no empty string, no "Infinity"); NaN when not one. */
export function parseDecimal(s: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

/** The first `max` content lines, reading only the head of a large text (for `recognises`). */
export function headLines(text: string, skipComments: boolean, max: number): NumberedLine[] {
  const HEAD = 8192;
  let head = text;
  if (text.length > HEAD) {
    // Drop the line the cut falls in: it may be incomplete.
    head = text.slice(0, HEAD);
    head = head.slice(0, Math.max(0, head.lastIndexOf('\n')));
  }
  return contentLines(head, skipComments).slice(0, max);
}

/** True when there are lines and at least 80% of them pass `fits`. */
export function mostLinesMatch(lines: NumberedLine[], fits: (text: string) => boolean): boolean {
  if (lines.length === 0) return false;
  const good = lines.filter((l) => fits(l.text)).length;
  return good >= 0.8 * lines.length;
}
