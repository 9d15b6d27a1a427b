import { parse } from 'yaml';

/**
 * The key paths a chart's values.yaml declares: its YAML keys plus the options it
 * documents as commented-out keys (`#existingSecret: ""`), which the templates read
 * but the file leaves unset. A commented key belongs to the nearest uncommented key
 * above it with a smaller indent.
 */
export function declaredKeys(valuesYaml: string): Set<string> {
  const keys = new Set<string>();
  const stack: { indent: number; key: string }[] = [];
  for (const line of valuesYaml.split('\n')) {
    const plain = /^(\s*)([A-Za-z_][\w.-]*):(\s|$)/.exec(line);
    const commented = /^(\s*)#([A-Za-z_][\w-]*):(\s|$)/.exec(line);
    const m = plain ?? commented;
    if (!m) continue;
    const indent = m[1]!.length;
    while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const path = [...stack.map((s) => s.key), m[2]!].join('.');
    keys.add(path);
    if (plain) stack.push({ indent, key: m[2]! });
  }
  return keys;
}

/** The parsed values.yaml, to tell maps (walk into) from free-form values (stop). */
export function defaults(valuesYaml: string): unknown {
  return parse(valuesYaml);
}

const FREE_FORM = /(annotations|labels|Annotations|Labels|nodeSelector)$/;

/** Emitted key paths that values.yaml does not declare. Free-form maps and lists are leaves. */
export function undeclaredKeys(values: unknown, declared: Set<string>, prefix = ''): string[] {
  if (!values || typeof values !== 'object' || Array.isArray(values)) return [];
  return Object.entries(values).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!declared.has(path)) return [path];
    if (FREE_FORM.test(k)) return [];
    return undeclaredKeys(v, declared, path);
  });
}

/** Every key path of an object, leaves only. */
export function leafPaths(values: unknown, prefix = ''): string[] {
  if (!values || typeof values !== 'object' || Array.isArray(values)) return [prefix];
  return Object.entries(values).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}
