// Text the store keeps must be Unicode: a lone UTF-16 surrogate (JSON's "\ud800") cannot be written
// as UTF-8, and SQLite would keep U+FFFD instead, so what was Acked would not be what was sent.
import { badRequest } from './errors';

const LONE_SURROGATE = /\p{Cs}/u;

/** Refuses `text` (named `field` in the error) when it holds a lone surrogate; it is kept exactly otherwise. */
export function requireUnicodeText(text: string, field: string): void {
  if (LONE_SURROGATE.test(text)) throw badRequest(`${field} is not valid Unicode text (it holds a lone surrogate)`);
}
