// Compares an answer's shape with a seed's example: every key the example has, with the same JSON
// value type, recursively (arrays by their first element).
import assert from 'node:assert/strict';

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'bigint') return 'number';
  return typeof value;
}

/**
 * `nullable` lists key paths where the example shows null but a value of another type may stand
 * (e.g. a time that is null until something happens).
 */
export function assertSameShape(actual: unknown, example: unknown, path = '$', nullable: string[] = []): void {
  const exampleType = jsonType(example);
  const actualType = jsonType(actual);
  if (exampleType === 'null' && nullable.some((p) => path.endsWith(p))) return;
  assert.equal(actualType, exampleType, `${path}: expected ${exampleType}, got ${actualType}`);
  if (exampleType === 'array') {
    const [first] = example as unknown[];
    if (first !== undefined && (actual as unknown[]).length > 0) {
      for (const [i, item] of (actual as unknown[]).entries()) assertSameShape(item, first, `${path}[${i}]`, nullable);
    }
  } else if (exampleType === 'object') {
    for (const [key, value] of Object.entries(example as object)) {
      assert.ok(key in (actual as object), `${path}.${key} is missing`);
      assertSameShape((actual as Record<string, unknown>)[key], value, `${path}.${key}`, nullable);
    }
  }
}
