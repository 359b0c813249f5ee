import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an Authorization header carries `Bearer <expected>`. Both sides are
 * hashed first so the comparison takes the same time whatever the length or
 * the first differing byte of a guess.
 */
export function bearerMatches(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(authorization ?? '');
  const given = match ? match[1] : '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}
