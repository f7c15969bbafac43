// The seeds' clients send parameters in the query string, as a form, or as JSON: one reader for all.
import { badRequest } from '../domain/errors';
import { parseJsonBody, readBodyText } from '../rest/http';

export type Params = Record<string, unknown>;

/** Query parameters, then body parameters (form or JSON, parsed without losing 64-bit integers) over them. */
export async function readParams(req: Request): Promise<Params> {
  const params: Params = Object.fromEntries(new URL(req.url).searchParams);
  if (req.method === 'GET' || req.method === 'HEAD') return params;
  const contentType = (req.headers.get('content-type') ?? '').toLowerCase();
  const text = await readBodyText(req);
  if (text.trim() === '') return params;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return { ...params, ...Object.fromEntries(new URLSearchParams(text)) };
  }
  if (contentType.includes('multipart/form-data')) {
    // PhalApi's iOS and Android clients post their parameters as multipart forms; only text fields are parameters.
    return { ...params, ...(await multipartFields(text, req.headers.get('content-type')!)) };
  }
  const body = parseJsonBody(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be a JSON object');
  return { ...params, ...(body as Params) };
}

async function multipartFields(text: string, contentType: string): Promise<Params> {
  let form: FormData;
  try {
    form = await new Response(text, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw badRequest('the body is not a valid multipart form');
  }
  const fields: Params = {};
  for (const [name, value] of form) if (typeof value === 'string') fields[name] = value;
  return fields;
}
