// JSON that keeps 64-bit integers exact: integers beyond 2^53 parse to BigInt, and BigInt values
// print as bare digits. Plain JSON.parse would round 1268242042090295297 to …296.
// Both directions lean on the native JSON functions (a parser written in JS would cost ~40x on
// long message texts); only the unsafe integers get special handling.

// 9007199254740991 (2^53 - 1) has 16 digits: text without a run of 16 digits holds no unsafe integer.
const MAYBE_UNSAFE_INTEGER = /\d{16}/;
// In valid JSON this meets every string literal at its opening quote, so numbers inside strings are skipped whole.
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const INTEGER = /^-?\d+$/;
// Unsafe integers travel through JSON.parse as strings carrying this mark. It is random per
// process and never leaves it, so no string a client sends can pass for one.
// Web Crypto, so the browser (which reads the same frames) can use this module too.
const NONCE = Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join('');
const MARK = `\u0000int:${NONCE}:`;
/** The mark as written inside a JSON string literal (a raw NUL is not allowed there). */
const MARK_IN_JSON = `\\u0000int:${NONCE}:`;

function markUnsafeInteger(token: string): string {
  if (token.startsWith('"') || !INTEGER.test(token) || Number.isSafeInteger(Number(token))) return token;
  return `"${MARK_IN_JSON}${token}"`;
}

function reviveInteger(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value;
}

export function parseJson(text: string): unknown {
  const plain = JSON.parse(text); // also proves the text valid before the scan below
  if (!MAYBE_UNSAFE_INTEGER.test(text)) return plain;
  return JSON.parse(text.replace(STRING_OR_NUMBER, markUnsafeInteger), reviveInteger);
}

export function stringifyJson(value: unknown): string {
  return stringifyValue(value) ?? 'null';
}

function stringifyValue(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return stringifyValue((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => stringifyValue(item) ?? 'null').join(',')}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const text = stringifyValue(item);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
