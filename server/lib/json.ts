// JSON that keeps 64-bit integers exact: integers beyond 2^53 parse to BigInt, and BigInt values
// print as bare digits. Plain JSON.parse would round 1268242042090295297 to …296.
import { isInteger, isSafeNumber, parse, stringify } from 'lossless-json';

// 9007199254740991 (2^53 - 1) has 16 digits: text without a run of 16 digits holds no unsafe integer.
const MAYBE_UNSAFE_INTEGER = /\d{16}/;

function parseNumber(text: string): number | bigint {
  return isInteger(text) && !isSafeNumber(text) ? BigInt(text) : Number(text);
}

export function parseJson(text: string): unknown {
  return MAYBE_UNSAFE_INTEGER.test(text) ? parse(text, null, parseNumber) : JSON.parse(text);
}

export function stringifyJson(value: unknown): string {
  return stringify(value) ?? 'null';
}
