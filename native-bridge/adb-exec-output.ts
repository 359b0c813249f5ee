// The legacy ADB shell protocol carries one byte stream and no exit status, so the ADB
// transport wraps each command: it prints the shell's pid first (to kill the command's
// process group on timeout), runs the command in a subshell with stderr sent to a temp file,
// then prints the stderr and the exit status between markers. This file builds the wrapper
// and parses its output; `\r\n` from old devices' pty-backed shells is tolerated.

export const PID_MARK = '__EDGETREE_PID__';
export const STDERR_MARK = '__EDGETREE_STDERR__';
export const EXIT_MARK = '__EDGETREE_EXIT__';

export function wrapAdbCommand(command: string, stderrFile: string): string {
  return [
    `printf '${PID_MARK}%s\\n' $$`,
    `(\n${command}\n) 2>${stderrFile}`,
    `__edgetree_rc=$?`,
    `printf '\\n${STDERR_MARK}\\n'`,
    `cat ${stderrFile} 2>/dev/null`,
    `rm -f ${stderrFile}`,
    `printf '\\n${EXIT_MARK}%s\\n' $__edgetree_rc`,
  ].join('; ');
}

export interface ParsedAdbOutput {
  pid?: number;
  stdout: string;
  stderr: string;
  /** Undefined when the output stopped before the exit marker (the link dropped). */
  exitCode?: number;
}

export function parseAdbOutput(raw: string): ParsedAdbOutput {
  let text = raw;
  let pid: number | undefined;
  const pidMatch = new RegExp(`^${PID_MARK}(\\d+)\\r?\\n`).exec(text);
  if (pidMatch) {
    pid = Number(pidMatch[1]);
    text = text.slice(pidMatch[0].length);
  }
  const tail = new RegExp(`\\r?\\n${STDERR_MARK}\\r?\\n([\\s\\S]*?)\\r?\\n${EXIT_MARK}(\\d+)\\r?\\n?$`).exec(text);
  if (!tail) return { pid, stdout: text, stderr: '' };
  return { pid, stdout: text.slice(0, tail.index), stderr: tail[1] ?? '', exitCode: Number(tail[2]) };
}
