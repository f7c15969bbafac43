import { store } from '../db/client';
import { jsonResponse } from './http';

/** 200 when the store answers a query, 503 otherwise. */
export function health(): Response {
  try {
    store().sqlite.prepare('SELECT 1').get();
    return jsonResponse({ status: 'ok' });
  } catch {
    return jsonResponse({ status: 'unavailable' }, 503);
  }
}
