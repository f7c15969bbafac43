// superjson's wire format, written several times faster for what the procedures answer. superjson's
// generic walk took longer than the whole history query (about 1.2 ms for a page of 50 messages);
// the browser's superjson reads this output unchanged.
import superjson, { type SuperJSONResult } from 'superjson';

/** A value this writer leaves to superjson itself (a Map, a class instance, NaN, a shared object …). */
const NOT_PLAIN = Symbol('not plain');

// The regular expressions are constants: a literal inside a function is a new object every call,
// and these run for every key of every answer.
const INDEX = /^(0|[1-9]\d*)$/;
const ESCAPED = /[.\\]/;

/** Whether JavaScript orders this key as an integer: an array index, written without leading zeros. */
const isIndex = (key: string) => {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && INDEX.test(key) && Number(key) < 4294967295;
};

const escapeKey = (key: string) => (ESCAPED.test(key) ? key.replace(/\\/g, '\\\\').replace(/\./g, '\\.') : key);

type Annotation = 'bigint' | 'undefined' | 'Date';
/** An annotation as superjson writes it, `[type]`: one array per type, shared by every path (JSON has no identity). */
const LEAVES: Record<Annotation, [Annotation]> = { bigint: ['bigint'], undefined: ['undefined'], Date: ['Date'] };

/**
 * `superjson.serialize(value)` for plain objects and arrays of strings, finite numbers, booleans,
 * null, undefined, bigint and Date, each object met once. Repeated bigints are not listed as
 * referential equalities as superjson lists them: a bigint has no identity, so the value read back
 * is the same. Anything else is passed to superjson whole.
 */
export function serializeOutput(value: unknown): SuperJSONResult {
  // superjson annotates a transformed root (a bigint, a Date) apart from the paths below it.
  if (typeof value !== 'object' || value === null || value instanceof Date) return superjson.serialize(value);
  // The annotated paths and their types, in the order superjson lists them (see hoistLeaves).
  const paths: string[] = [];
  const types: Annotation[] = [];
  const seen = new Set<object>();
  // The keys from the root to the value being written, joined only where a value is annotated.
  const path: string[] = [];
  const annotate = (type: Annotation) => {
    let key = escapeKey(path[0]);
    for (let i = 1; i < path.length; i++) key += `.${escapeKey(path[i])}`;
    paths.push(key);
    types.push(type);
  };
  // superjson gathers each object's or array's annotations in an object of its own, where
  // JavaScript lists integer keys first: the annotated values directly under it with an index for
  // key ("3") come before the paths into its nested objects ("0.id"). A container's `order` holds
  // the position of its first nested child's annotations, then those of the annotated values under
  // an index key written after it: hoistLeaves moves these to that position.
  const noteChild = (order: number[] | undefined, written: number, child: unknown): number[] | undefined => {
    if (paths.length === written) return order;
    if (typeof child === 'object' && !(child instanceof Date)) return order ?? [written];
    order?.push(written);
    return order;
  };
  const hoistLeaves = ([nestedAt, ...later]: number[]) => {
    const movedPaths = later.map((at) => paths[at]);
    const movedTypes = later.map((at) => types[at]);
    for (let i = later.length - 1; i >= 0; i--) {
      paths.splice(later[i], 1);
      types.splice(later[i], 1);
    }
    paths.splice(nestedAt, 0, ...movedPaths);
    types.splice(nestedAt, 0, ...movedTypes);
  };

  const walk = (item: unknown): unknown => {
    switch (typeof item) {
      case 'string':
      case 'boolean':
        return item;
      case 'number':
        if (!Number.isFinite(item) || Object.is(item, -0)) throw NOT_PLAIN;
        return item;
      case 'bigint':
        annotate('bigint');
        return item.toString();
      case 'undefined':
        annotate('undefined');
        return null; // as superjson writes it: the key stays, the annotation restores undefined
      case 'object': {
        if (item === null) return null;
        if (seen.has(item)) throw NOT_PLAIN;
        seen.add(item);
        if (item instanceof Date) {
          if (Number.isNaN(item.getTime())) throw NOT_PLAIN;
          annotate('Date');
          return item.toISOString();
        }
        if (Array.isArray(item)) {
          const out = new Array<unknown>(item.length);
          let order: number[] | undefined;
          for (let i = 0; i < item.length; i++) {
            if (!(i in item)) throw NOT_PLAIN;
            const written = paths.length;
            path.push(String(i));
            out[i] = walk(item[i]);
            path.pop();
            order = noteChild(order, written, item[i]);
          }
          if (order && order.length > 1) hoistLeaves(order);
          return out;
        }
        const proto = Object.getPrototypeOf(item);
        if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
        // A copy made whole by spreading (one allocation of the right shape), then only the values
        // that change replaced; for…in, not Object.keys, so no array of keys per object (the
        // prototype, checked above, has no enumerable keys of its own).
        const out: Record<string, unknown> = { ...item };
        // for…in gives integer keys first, so only a nested object under an integer key can come
        // before an annotated value that superjson lists first.
        let order: number[] | undefined;
        for (const key in item) {
          if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw NOT_PLAIN;
          const value = (item as Record<string, unknown>)[key];
          const annotated = paths.length;
          path.push(key);
          const written = walk(value);
          path.pop();
          if (written !== value) out[key] = written;
          if (isIndex(key)) order = noteChild(order, annotated, value);
        }
        if (order && order.length > 1) hoistLeaves(order);
        return out;
      }
      default:
        throw NOT_PLAIN;
    }
  };

  try {
    const json = walk(value) as SuperJSONResult['json'];
    if (paths.length === 0) return { json };
    const values: Record<string, [Annotation]> = {};
    for (let i = 0; i < paths.length; i++) values[paths[i]] = LEAVES[types[i]];
    return { json, meta: { values, v: 1 } };
  } catch (error) {
    if (error === NOT_PLAIN) return superjson.serialize(value);
    throw error;
  }
}

/** The app's tRPC transformer: superjson in, superjson's format out by the faster writer. */
export const transformer = {
  input: superjson,
  output: { serialize: serializeOutput, deserialize: superjson.deserialize.bind(superjson) },
};
