// Quotes one argument for a POSIX shell on the device (sh, ash, mksh, bash).
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The parent directory of a device path (always POSIX, whatever this computer is). */
export function remoteDirname(path: string): string {
  const i = path.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
