// Compares an answer with a seed's example: every key the example has is present, with the same
// JSON value type, recursively. Some keys may be null or a string either way round: the seeds show a
// time or a text as null in one item and a string in the next (seed 000's `afterMessage`, seed 001's
// `*_read_at`), so one example item cannot pin them.
import assert from 'node:assert/strict';

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  // 64-bit ids parse to bigint: on the wire they are JSON numbers.
  if (typeof value === 'bigint') return 'number';
  return typeof value;
}

export type ShapeOptions = {
  /** Keys (by name, at any depth) whose value may be null or a string, whatever the example shows. */
  nullOrString?: readonly string[];
};

/** Arrays are compared element by element with the example's first element. */
export function assertSameShape(actual: unknown, example: unknown, options: ShapeOptions = {}, path = '$'): void {
  const key = path.slice(path.lastIndexOf('.') + 1);
  const actualType = jsonType(actual);
  const exampleType = jsonType(example);
  if (options.nullOrString?.includes(key) && ['null', 'string'].includes(exampleType)) {
    assert.ok(['null', 'string'].includes(actualType), `${path}: expected null or string, got ${actualType}`);
    return;
  }
  assert.equal(actualType, exampleType, `${path}: expected ${exampleType}, got ${actualType}`);
  if (exampleType === 'array') {
    const [first] = example as unknown[];
    if (first === undefined) return;
    (actual as unknown[]).forEach((item, i) => assertSameShape(item, first, options, `${path}[${i}]`));
  } else if (exampleType === 'object') {
    for (const [name, value] of Object.entries(example as Record<string, unknown>)) {
      assert.ok(Object.hasOwn(actual as object, name), `${path}.${name} is missing`);
      assertSameShape((actual as Record<string, unknown>)[name], value, options, `${path}.${name}`);
    }
  }
}
