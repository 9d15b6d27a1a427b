import fastJsonPatch from 'fast-json-patch';
import { parse as parseYaml } from 'yaml';
import type { ModifierPatch, ModifierRule } from '../../src/velero/modifiers.js';

/**
 * How Velero turns one modifier patch into RFC 6902 JSON (internal/resourcemodifiers/json_patch.go,
 * JSONPatch.ToString): a value that is JSON (object, array, number, bool, null) goes in as is,
 * anything else is wrapped in quotes without escaping. Parsing the result proves our values
 * survive that.
 */
export function asVeleroJsonPatch(p: ModifierPatch): fastJsonPatch.Operation {
  let value = p.value ?? '';
  let quote = true;
  if (value.startsWith('"') && value.endsWith('"') && value.length > 1) value = value.slice(1, -1);
  else if (value === 'null' || /^(true|false)$/i.test(value) || value.startsWith('{') || value.startsWith('[') || (value.trim() !== '' && !Number.isNaN(Number(value)))) quote = false;
  const text = `{"op": "${p.operation}", "from": "", "path": "${p.path}", "value": ${quote ? `"${value}"` : value}}`;
  return JSON.parse(text) as fastJsonPatch.Operation;
}

/**
 * Kubernetes' strategic merge for the fields the drill patches: maps merge key by key, `null`
 * deletes, lists of objects with a `name` (containers, env: `patchMergeKey: name` in k8s.io/api)
 * merge item by name (an unknown name is appended), other lists are replaced.
 */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) {
    const named = patch.every((p) => p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string');
    if (!named || !Array.isArray(target)) return structuredClone(patch);
    const out = structuredClone(target) as { name?: string }[];
    for (const p of patch as { name: string }[]) {
      const i = out.findIndex((t) => t?.name === p.name);
      if (i >= 0) out[i] = strategicMerge(out[i], p) as { name?: string };
      else out.push(structuredClone(p));
    }
    return out;
  }
  if (patch && typeof patch === 'object') {
    const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? structuredClone(target as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = strategicMerge(out[k], v);
    }
    return out;
  }
  return patch;
}

const matches = (r: ModifierRule, groupResource: string, obj: { metadata: { name: string; namespace?: string } }) =>
  r.conditions.groupResource === groupResource &&
  (!r.conditions.resourceNameRegex || new RegExp(r.conditions.resourceNameRegex).test(obj.metadata.name)) &&
  (!r.conditions.namespaces || r.conditions.namespaces.includes(obj.metadata.namespace ?? ''));

/** Applies the rules Velero would apply to one object of a restore, as Velero matches them; a failed `test` throws. */
export function applyRules<T extends { metadata: { name: string; namespace?: string } }>(rules: ModifierRule[], groupResource: string, obj: T): T {
  let out = structuredClone(obj);
  for (const r of rules) {
    if (!matches(r, groupResource, obj)) continue;
    out = fastJsonPatch.applyPatch(out, (r.patches ?? []).map(asVeleroJsonPatch), true, false).newDocument;
    for (const s of r.strategicPatches ?? []) out = strategicMerge(out, parseYaml(s.patchData)) as T;
  }
  return out;
}

type Named = { metadata: { name: string; namespace?: string } };

/**
 * What Velero 1.18.1 restores of one backed-up object: each matching rule's JSON patches as one
 * document (internal/resourcemodifiers ApplyPatch: a failed `test` is logged at info level and
 * the object stays as it was, any other error fails the item), then its strategic merge patches.
 */
export function veleroRestoreItem<T extends Named>(rules: ModifierRule[], groupResource: string, obj: T): T {
  let out = structuredClone(obj);
  for (const r of rules) {
    if (!matches(r, groupResource, obj)) continue;
    try {
      out = fastJsonPatch.applyPatch(out, (r.patches ?? []).map(asVeleroJsonPatch), true, false).newDocument;
    } catch (err) {
      if ((err as { name?: string }).name !== 'TEST_OPERATION_FAILED') throw err;
    }
    for (const s of r.strategicPatches ?? []) out = strategicMerge(out, parseYaml(s.patchData)) as T;
  }
  return out;
}
