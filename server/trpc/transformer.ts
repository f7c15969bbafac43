// tRPC's transformer: superjson, with a faster serializer for what the procedures answer.
// superjson's general walk (plugins, identity maps, nested annotations) cost five times a plain
// copy on a chat list of 200 summaries (~5 ms of ~7). Our answers are plain objects, arrays,
// strings, finite numbers, booleans, nulls and bigint ids; for those this writes exactly
// superjson's output (bigints as digit strings, annotated `['bigint']` at their dotted path), and
// it hands anything else (dates, maps, undefined, NaN, -0, shared objects, odd keys) to superjson
// itself. The browser keeps plain superjson: it reads either alike.
import superjson from 'superjson';

/** Thrown inside the walk when a value is not one the fast path writes exactly as superjson does. */
const NOT_PLAIN = Symbol('not plain');

/** Keys superjson would escape in a path, or refuses (prototype pollution). */
const PLAIN_KEY = /^(?!(?:__proto__|constructor|prototype)$)[^.\\]*$/;

export function serialize(value: unknown): ReturnType<typeof superjson.serialize> {
  const bigints: Record<string, ['bigint']> = {};
  let annotated = false;
  // superjson annotates an object reached twice (referentialEqualities): leave those to it.
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): unknown => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        if (Number.isFinite(v) && !Object.is(v, -0)) return v;
        throw NOT_PLAIN;
      case 'bigint':
        // superjson annotates a bare bigint without a path.
        if (path === '') throw NOT_PLAIN;
        bigints[path] = ['bigint'];
        annotated = true;
        return String(v);
      case 'object': {
        if (v === null) return null;
        if (seen.has(v)) throw NOT_PLAIN;
        seen.add(v);
        const prefix = path === '' ? '' : `${path}.`;
        if (Array.isArray(v)) {
          const out: unknown[] = new Array(v.length);
          for (let i = 0; i < v.length; i++) out[i] = walk(v[i], prefix + i);
          return out;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
        const record = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(record)) {
          if (!PLAIN_KEY.test(key)) throw NOT_PLAIN;
          out[key] = walk(record[key], prefix + key);
        }
        return out;
      }
      default:
        throw NOT_PLAIN;
    }
  };
  try {
    const json = walk(value, '') as ReturnType<typeof superjson.serialize>['json'];
    return annotated ? { json, meta: { values: bigints, v: 1 } } : { json };
  } catch (error) {
    if (error === NOT_PLAIN) return superjson.serialize(value);
    throw error;
  }
}

export const transformer = {
  input: superjson,
  output: { serialize, deserialize: superjson.deserialize },
};
