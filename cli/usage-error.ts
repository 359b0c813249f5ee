/** Bad command-line usage: exit code 2, with the command's help pointer in the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
