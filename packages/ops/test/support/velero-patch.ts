import fastJsonPatch from 'fast-json-patch';
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

/** Applies the rules Velero would apply to one object of a restore, as Velero matches them. */
export function applyRules<T extends { metadata: { name: string } }>(rules: ModifierRule[], groupResource: string, obj: T): T {
  let out = structuredClone(obj);
  for (const r of rules) {
    if (r.conditions.groupResource !== groupResource) continue;
    if (r.conditions.resourceNameRegex && !new RegExp(r.conditions.resourceNameRegex).test(obj.metadata.name)) continue;
    out = fastJsonPatch.applyPatch(out, r.patches.map(asVeleroJsonPatch), true, false).newDocument;
  }
  return out;
}
