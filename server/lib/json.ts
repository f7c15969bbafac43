// JSON that keeps 64-bit integers exact: integers beyond 2^53 parse to BigInt, and BigInt values
// print as bare digits. Plain JSON.parse would round 1268242042090295297 to …296.
// Every socket frame goes through here, so both directions are built for speed: parsing leans on
// the native JSON.parse (a parser written in JS would cost ~40x on long message texts) and only the
// unsafe integers get special handling; printing is one pass of string concatenation.

// 9007199254740991 (2^53 - 1) has 16 digits: text without a run of 16 digits holds no unsafe integer.
const MAYBE_UNSAFE_INTEGER = /\d{16}/;
// Unsafe integers travel through JSON.parse as strings carrying this mark. It is random per
// process and never leaves it, so no string a client sends can pass for one.
// Web Crypto, so the browser (which reads the same frames) can use this module too.
const NONCE = Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join('');
const MARK = `\u0000int:${NONCE}:`;
/** The mark as written inside a JSON string literal (a raw NUL is not allowed there). */
const MARK_IN_JSON = `\\u0000int:${NONCE}:`;

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
const COLON = 58;

const isDigit = (c: number) => c >= ZERO && c <= NINE;
const isJsonSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
/** The characters a JSON number is made of besides digits: `.`, `e`, `E`, `+`, `-`. */
const isNumberPunctuation = (c: number) => c === 46 || c === 101 || c === 69 || c === 43 || c === MINUS;

/**
 * `text` with every integer token beyond 2^53 outside string literals replaced by a marked string,
 * or null when there is none or when the text cannot be JSON. String literals are skipped whole
 * (digits inside them are text), by jumping from quote to quote, as a JSON parser reads them.
 * A marked string is valid in two places a long integer is not: as a key, and for digits JSON
 * does not allow (a leading zero). Such a token gives null too, so that the marked text parses
 * only where the text itself does.
 */
function markUnsafeIntegers(text: string): string | null {
  let out: string | null = null;
  let copiedUpTo = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end < 0) return null;
        let k = end - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        // An even number of backslashes before the quote: it is not escaped, the string ends here.
        if ((end - k) % 2 === 1) break;
      }
      i = end;
    } else if (isDigit(c) || c === MINUS) {
      let end = i + 1;
      let integer = true;
      for (; end < n; end++) {
        const d = text.charCodeAt(end);
        if (isDigit(d)) continue;
        if (!isNumberPunctuation(d)) break;
        integer = false;
      }
      const digits = end - i - (c === MINUS ? 1 : 0);
      if (integer && digits >= 16) {
        const token = text.slice(i, end);
        if (!Number.isSafeInteger(Number(token))) {
          if (text.charCodeAt(end - digits) === ZERO || isKey(text, end)) return null;
          out = (out ?? '') + text.slice(copiedUpTo, i) + '"' + MARK_IN_JSON + token + '"';
          copiedUpTo = end;
        }
      }
      i = end - 1;
    }
  }
  return out === null ? null : out + text.slice(copiedUpTo);
}

/** Whether the token ending at `end` is followed by a colon, as only a key may be. */
function isKey(text: string, end: number): boolean {
  let i = end;
  while (isJsonSpace(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === COLON;
}

/** Turns the marked strings of a parsed value back into BigInts, in place. */
function reviveIntegers(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveIntegers(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = reviveIntegers(record[key]);
  return value;
}

export function parseJson(text: string): unknown {
  if (!MAYBE_UNSAFE_INTEGER.test(text)) return JSON.parse(text);
  const marked = markUnsafeIntegers(text);
  // The marked text parses exactly where the text does (see markUnsafeIntegers): one parse, not
  // one to validate and one to read.
  return marked === null ? JSON.parse(text) : reviveIntegers(JSON.parse(marked));
}

export function stringifyJson(value: unknown): string {
  return stringifyValue(value) ?? 'null';
}

// Each key as written, `"key":`: the same few keys recur in every element of a list. Bounded, since
// keys can come from clients.
const keyTexts = new Map<string, string>();
const MAX_KEY_TEXTS = 10_000;

function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = `${JSON.stringify(key)}:`;
    if (keyTexts.size < MAX_KEY_TEXTS) keyTexts.set(key, text);
  }
  return text;
}

/** As JSON.stringify, but BigInts print as bare digits. */
function stringifyValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return 'null';
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return stringifyValue((value as { toJSON: () => unknown }).toJSON());
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (stringifyValue(value[i]) ?? 'null');
        return out + ']';
      }
      const record = value as Record<string, unknown>;
      let out = '';
      for (const key of Object.keys(record)) {
        const text = stringifyValue(record[key]);
        if (text === undefined) continue;
        out += (out === '' ? '' : ',') + keyText(key) + text;
      }
      return `{${out}}`;
    }
    default:
      // undefined, functions and symbols are left out, as JSON.stringify does.
      return undefined;
  }
}
