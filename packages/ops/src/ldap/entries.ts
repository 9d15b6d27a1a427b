/** Pieces the LDAP check's steps share: ldapts scope names, the failure a step throws (LdapStepFailure), attribute values. */
import type { Entry } from 'ldapts';
import type { Failure, StepName } from './steps.js';
import { StepFailure } from '../steps/runner.js';

/** The config's scope names as ldapts spells them. */
export const SCOPE = { base: 'base', onelevel: 'one', subtree: 'sub' } as const;

/**
 * Thrown by a step to fail it with one precise reason; the check stops there. The step
 * wrapper of runLdapCheck knows which step it was, so the failure need not name it.
 */
export class LdapStepFailure extends StepFailure<StepName> {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'LdapStepFailure';
  }
}

/** An attribute's values, whatever case the server spelled its name in. */
export function attributeValues(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key ? entry[key] : undefined;
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
}
