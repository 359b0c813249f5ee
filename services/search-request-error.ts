/** A search or emulation request that cannot be served as asked (wrong run kind, runs that do not match, cancelled...). */
export class SearchRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchRequestError';
  }
}
