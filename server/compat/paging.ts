// Page numbers and page sizes of the seeds' list routes, checked the same way in every dialect.
import { DomainError } from '../domain/errors';
import type { Params } from './params';

/** A bad value of one named parameter; dialects that name it in their errors (JSON:API's `source.parameter`) read `parameter`. */
export class ParameterError extends DomainError {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super('BAD_REQUEST', message);
  }
}

/** Pages beyond this are refused rather than answered empty: no client pages that far, and offsets stay exact. */
export const MAX_PAGE_NUMBER = 1_000_000;

/**
 * The integer in `params[name]`, within [min, max]; `fallback` when absent or empty (HTML forms send
 * `page=` for an untouched field), and without a fallback the parameter is required. Anything else —
 * signs, decimals, words, out of range — is a ParameterError.
 */
export function integerParam(params: Params, name: string, range: { min: number; max: number; fallback?: number }): number {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') {
    if (range.fallback !== undefined) return range.fallback;
    throw new ParameterError(name, `${name} is required`);
  }
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' || typeof raw === 'bigint' ? String(raw) : '';
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw new ParameterError(name, `${name} must be an integer from ${range.min} to ${range.max}`);
  }
  return value;
}
