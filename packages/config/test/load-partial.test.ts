import { describe, expect, it } from 'vitest';
import { problemsWith } from './util.js';

describe('validate runs the rules over the sections that pass the schema', () => {
  it('reports a schema problem in minio and a rule problem in ldap in one run, and says which rules were left out', () => {
    const lines = problemsWith((raw) => {
      raw.minio.pools[0].driveSize = 'fifty gigs';
      // A rule (not the schema) refuses a CA bundle on plain LDAP.
      raw.ldap.url = 'ldap://ldap.dev.example.com:389';
      raw.ldap.caBundleSecret = 'harbor-platform/dev/ldap-ca';
    });
    expect(lines.some((l) => l.startsWith('minio.pools[0].driveSize: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('ldap.caBundleSecret: "ldap://ldap.dev.example.com:389" is plain LDAP'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^\(rules\): the rules that read minio were not checked, as those sections fail the schema: fix the problems above, then validate again$/);
  });

  it('leaves out a rule that reads a failed section, so it never judges refused input', () => {
    // checkMinio reads minio and stage: with stage refused, not even the image problem it finds first is reported.
    const unpinned = (raw: any) => {
      raw.minio.image = 'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z';
    };
    expect(problemsWith(unpinned).filter((l) => l.startsWith('minio.image: '))).toHaveLength(1);
    const lines = problemsWith((raw) => {
      unpinned(raw);
      raw.stage = 'staging';
    });
    expect(lines).toContain('stage: "staging" is not allowed: use one of "dev", "prod"');
    expect(lines.filter((l) => l.startsWith('minio.'))).toEqual([]);
    expect(lines.at(-1)).toMatch(/^\(rules\): the rules that read stage were not checked/);
  });

  it('runs every rule and adds no (rules) line when only a rule fails', () => {
    const lines = problemsWith((raw) => {
      raw.ldap.url = 'ldap://ldap.dev.example.com:389';
      raw.ldap.caBundleSecret = 'harbor-platform/dev/ldap-ca';
    });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith('(rules)'))).toBe(false);
  });
});
