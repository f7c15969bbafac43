// The seeds show avatars as absolute URLs (`http://host/static/images/test.png`); we keep them as
// paths of our own host (`/file/down/…`), so dialects resolve them against the URL the client called.

/** `url` made absolute against `requestUrl`; "" stays "" (no avatar), and so does anything unparsable. */
export function absoluteUrl(url: string, requestUrl: string): string {
  if (url === '') return '';
  try {
    return new URL(url, requestUrl).href;
  } catch {
    return '';
  }
}
