/**
 * Leaf paths of a values object and changes to one leaf, for the test that every value
 * the builders emit changes what a chart renders. A path is a list of keys (annotation
 * keys hold dots and slashes); lists, empty maps and null are leaves.
 */
export type ValuePath = readonly string[];

export function valueLeaves(values: unknown, prefix: ValuePath = []): ValuePath[] {
  if (values === null || typeof values !== 'object' || Array.isArray(values) || Object.keys(values).length === 0) return [prefix];
  return Object.entries(values).flatMap(([k, v]) => valueLeaves(v, [...prefix, k]));
}

export function showPath(path: ValuePath): string {
  return path.map((k) => (/^[\w-]+$/.test(k) ? k : `[${k}]`)).join('.').replace(/\.\[/g, '[');
}

function at(values: any, path: ValuePath): { parent: any; key: string } {
  const parent = path.slice(0, -1).reduce((o, k) => o[k], values);
  return { parent, key: path[path.length - 1]! };
}

/** A copy of `values` without the leaf. */
export function withoutLeaf<T>(values: T, path: ValuePath): T {
  const copy = structuredClone(values);
  const { parent, key } = at(copy, path);
  delete parent[key];
  return copy;
}

/** Another value of the same kind, so a template that reads the leaf renders something else. */
export function changedValue(v: unknown): unknown {
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'string') return v === '' ? 'changed' : `${v}-changed`;
  if (Array.isArray(v)) return v.length > 0 ? [] : ['changed'];
  if (v === null) return 'changed';
  return { changed: {} };
}

/** A copy of `values` with the leaf changed (see `changedValue`). */
export function withChangedLeaf<T>(values: T, path: ValuePath): T {
  const copy = structuredClone(values);
  const { parent, key } = at(copy, path);
  parent[key] = changedValue(parent[key]);
  return copy;
}
