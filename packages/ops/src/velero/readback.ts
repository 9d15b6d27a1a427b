import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { VeleroError } from '../errors.js';
import { veleroPatchValue, type ModifierPatch, type ModifierRule } from './modifiers.js';
import type { KubeApi } from '../kube/api.js';

/** The kinds the drill's modifiers touch, by the group/resource Velero matches them on. */
export const READ_BACK_KINDS: Readonly<Record<string, { apiVersion: string; kind: string }>> = {
  'deployments.apps': { apiVersion: 'apps/v1', kind: 'Deployment' },
  'statefulsets.apps': { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  'configmaps': { apiVersion: 'v1', kind: 'ConfigMap' },
  'networkpolicies.networking.k8s.io': { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
};

/** One field a modifier was meant to set, and what the restored object holds there. */
export interface FieldMismatch {
  /** A JSON pointer (JSON patches) or a dotted path with `[name=...]` for lists merged by name. */
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

type Obj = { metadata?: { name?: string; namespace?: string } } & Record<string, unknown>;

const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

function pointerGet(doc: unknown, pointer: string): unknown {
  let at: unknown = doc;
  for (const token of pointer.split('/').slice(1).map(unescape)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[token];
  }
  return at;
}

/**
 * Kubernetes stores an empty string of an `omitempty` field (an env var's `value: ""`)
 * as no field at all, so that reads back as undefined.
 */
const same = (actual: unknown, expected: unknown) => isDeepStrictEqual(actual, expected) || (expected === '' && actual === undefined);

/** What each JSON patch operation leaves in the object; `test` changes nothing and is skipped. */
function jsonPatchMismatches(obj: unknown, patches: readonly ModifierPatch[]): FieldMismatch[] {
  const out: FieldMismatch[] = [];
  for (const p of patches) {
    if (p.operation === 'add' && p.path.endsWith('/-')) {
      const list = pointerGet(obj, p.path.slice(0, -2));
      const expected = veleroPatchValue(p.value);
      if (!Array.isArray(list) || !list.some((item) => same(item, expected))) out.push({ field: p.path, expected, actual: list });
    } else if (p.operation === 'add' || p.operation === 'replace') {
      const actual = pointerGet(obj, p.path);
      const expected = veleroPatchValue(p.value);
      if (!same(actual, expected)) out.push({ field: p.path, expected, actual });
    } else if (p.operation === 'remove') {
      const actual = pointerGet(obj, p.path);
      if (actual !== undefined) out.push({ field: p.path, expected: undefined, actual });
    }
  }
  return out;
}

/**
 * The fields of a strategic merge patch the object does not hold: maps are compared key
 * by key, lists of objects with a `name` (containers, env: their Kubernetes merge key)
 * item by name, everything else by value; a `null` in the patch means the key is gone.
 */
export function strategicMismatches(actual: unknown, patch: unknown, path = ''): FieldMismatch[] {
  if (patch === null) return actual === undefined || actual === null ? [] : [{ field: path, expected: undefined, actual }];
  if (Array.isArray(patch) && patch.every((p) => p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string')) {
    const items = Array.isArray(actual) ? (actual as { name?: string }[]) : [];
    return patch.flatMap((p) => {
      const name = (p as { name: string }).name;
      const field = `${path}[name=${name}]`;
      const found = items.find((i) => i?.name === name);
      return found === undefined ? [{ field, expected: p, actual: undefined }] : strategicMismatches(found, p, field);
    });
  }
  if (patch && typeof patch === 'object' && !Array.isArray(patch)) {
    const a = actual && typeof actual === 'object' ? (actual as Record<string, unknown>) : {};
    return Object.entries(patch).flatMap(([k, v]) => strategicMismatches(a[k], v, path ? `${path}.${k}` : k));
  }
  return same(actual, patch) ? [] : [{ field: path, expected: patch, actual }];
}

/** Every field of one rule that the restored object does not hold as the rule meant. */
export function ruleMismatches(obj: unknown, rule: ModifierRule): FieldMismatch[] {
  return [
    ...jsonPatchMismatches(obj, rule.patches ?? []),
    ...(rule.strategicPatches ?? []).flatMap((s) => strategicMismatches(obj, parse(s.patchData))),
  ];
}

/** True for a name condition of exactly one object, `^name$`. */
const namesOneObject = (regex: string | undefined) => regex !== undefined && /^\^[a-z0-9.-]+\$$/.test(regex);

const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 200));

/**
 * Reads back, after a restore, every field the resource modifiers were meant to change,
 * in the namespaces the objects were restored to (`mapping`: source -> target). Velero
 * restores an object unmodified when a JSON-patch `test` fails and logs that at info
 * level only, and a rule for one named object (`^name$`) that finds none changed
 * nothing at all; both could start a drill Harbor on the live MinIO. Returns one line per problem, naming the
 * object and the field (`deployments.apps harbor-drill/harbor-registry: field ...`);
 * empty when every rule took.
 */
export async function readBackModifiers(kube: KubeApi, rules: readonly ModifierRule[], mapping: Record<string, string>): Promise<string[]> {
  const cache = new Map<string, Obj[]>();
  const list = async (groupResource: string, ns: string) => {
    const kind = READ_BACK_KINDS[groupResource];
    if (!kind) throw new VeleroError(`read-back: no kind known for ${groupResource}: add it to READ_BACK_KINDS`);
    const key = `${groupResource} ${ns}`;
    if (!cache.has(key)) cache.set(key, await kube.listObjects<Obj>(kind.apiVersion, kind.kind, ns));
    return cache.get(key)!;
  };
  const problems: string[] = [];
  for (const rule of rules) {
    const { groupResource, resourceNameRegex, namespaces } = rule.conditions;
    const targets = (namespaces ?? Object.keys(mapping)).map((ns) => mapping[ns] ?? ns);
    const re = resourceNameRegex ? new RegExp(resourceNameRegex) : undefined;
    const matched: Obj[] = [];
    for (const ns of targets) matched.push(...(await list(groupResource, ns)).filter((o) => !re || re.test(o.metadata?.name ?? '')));
    if (!matched.length) {
      // A rule for one named object that is not there was meant for something restored under
      // another name; a rule over a set (scale these to zero) may rightly find none.
      if (!namesOneObject(resourceNameRegex)) continue;
      problems.push(`${groupResource} ${resourceNameRegex ?? '*'} in ${targets.join(', ')}: no restored object matches, so the modifier changed nothing`);
      continue;
    }
    for (const o of matched) {
      for (const m of ruleMismatches(o, rule)) {
        problems.push(`${groupResource} ${o.metadata?.namespace}/${o.metadata?.name}: field ${m.field} is ${show(m.actual)}, expected ${show(m.expected)}`);
      }
    }
  }
  return problems;
}
