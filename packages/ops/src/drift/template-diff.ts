import { isDeepStrictEqual } from 'node:util';
import { DriftError } from '../errors.js';

/** How the synthesized template differs from the deployed one, by section and logical id. */
export interface TemplateDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

const SECTIONS = ['Resources', 'Outputs', 'Parameters', 'Conditions', 'Mappings', 'Rules'] as const;

type Template = Partial<Record<(typeof SECTIONS)[number], Record<string, unknown>>>;

/**
 * Compares two CloudFormation templates (JSON text, as CDK deploys them). Entries are
 * named `Section/LogicalId`. Throws when either is not JSON: that is an error, not drift.
 */
export function diffTemplates(synthesized: string, deployed: string): TemplateDiff {
  const want = parse(synthesized, 'synthesized');
  const have = parse(deployed, 'deployed');
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const section of SECTIONS) {
    const a = want[section] ?? {};
    const b = have[section] ?? {};
    for (const id of Object.keys(a)) {
      if (!(id in b)) added.push(`${section}/${id}`);
      else if (!isDeepStrictEqual(a[id], b[id])) changed.push(`${section}/${id}`);
    }
    for (const id of Object.keys(b)) if (!(id in a)) removed.push(`${section}/${id}`);
  }
  return { added, removed, changed };
}

export function isEmptyDiff(d: TemplateDiff): boolean {
  return d.added.length + d.removed.length + d.changed.length === 0;
}

function parse(text: string, which: string): Template {
  try {
    return JSON.parse(text) as Template;
  } catch {
    throw new DriftError(`the ${which} template is not JSON (CDK deploys JSON templates)`);
  }
}
