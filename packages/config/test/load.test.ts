import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { problemsWith, rawEnvironment, REPO_ROOT, schemaProblemsWith } from './util.js';
import { formatProblem, loadEnvironmentFile, loadEnvironmentText } from '../src/index.js';

describe('loading environment files', () => {
  it.each(['dev', 'prod'])('accepts the committed %s environment', (name) => {
    const result = loadEnvironmentFile(join(REPO_ROOT, 'environments', `${name}.yaml`));
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('applies defaults for omitted optional fields', () => {
    const result = loadEnvironmentFile(join(REPO_ROOT, 'environments', 'dev.yaml'));
    if (!result.ok) throw new Error('dev should load');
    expect(result.config.minio.namespace).toBe('minio');
    expect(result.config.cluster.endpointPublicAccess).toBe(false);
    expect(result.config.velero.fileSystemBackup).toBe(false);
  });

  it('reports malformed YAML with its line and column', () => {
    const result = loadEnvironmentText('name: dev\nstage: [dev\naws: {}\n');
    expect(result.ok).toBe(false);
    expect(result.problems[0]!.path).toMatch(/^line \d+, column \d+$/);
    expect(formatProblem(result.problems[0]!)).toMatch(/^line \d+, column \d+: malformed YAML \(.+\): fix the YAML syntax at that position$/);
  });

  it('reports a duplicate key as malformed YAML at the second occurrence', () => {
    const result = loadEnvironmentText('name: dev\nname: prod\n');
    expect(result.problems.map(formatProblem)).toEqual([expect.stringMatching(/^line 2, column 1: malformed YAML \(Map keys must be unique/)]);
  });

  it('reports an alias to an undefined anchor instead of throwing', () => {
    expect(loadEnvironmentText('name: *nowhere\n').problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^\(file\): malformed YAML \(.*anchor.*\): define each anchor \(&name\) before its alias \(\*name\), and keep aliases few$/),
    ]);
  });

  it('reports a missing or unreadable file as a problem, not an exception', () => {
    const result = loadEnvironmentFile('/nonexistent/qa.yaml');
    expect(result.problems.map(formatProblem)).toEqual([
      '/nonexistent/qa.yaml: no such file: pass the path of an environment YAML file, such as environments/dev.yaml',
    ]);
  });

  it('refuses a document that is not a mapping', () => {
    expect(loadEnvironmentText('- a\n- b\n').problems.map(formatProblem)).toEqual(['(file): is a list, expected object: write an object']);
  });

  it('reports every problem at once', () => {
    const lines = problemsWith((raw) => {
      delete raw.stage;
      raw.network.natGateways = 'two';
      raw.cluster.nodeGroups.minPerAz = -1;
      raw.minio.colour = 'blue';
    });
    expect(lines).toEqual([
      'stage: is required: add it: one of "dev", "prod"',
      'network.natGateways: "two" is not allowed: use one of "single", "perAz"',
      'cluster.nodeGroups.minPerAz: is -1, below the minimum of 0: use at least 0',
      'minio.colour: is not a known field: remove it or correct its spelling (schemas/environment.schema.json lists the fields)',
      '(rules): the rules that read stage, network, cluster, minio were not checked, as those sections fail the schema: fix the problems above, then validate again',
    ]);
  });

  it('refuses a secret-looking field and says where secrets go', () => {
    expect(schemaProblemsWith((raw) => (raw.minio.rootPassword = 'x'))).toEqual([
      'minio.rootPassword: is not a field, and secrets never go in the config: store the value in AWS Secrets Manager and name that secret in the matching *Secret field',
    ]);
  });

  it.each(['Harbor12345', 'admin1234', 'minioadmin', 'changeit', 'not-a-secure-key'])('refuses the known default password %s in any field', (secret) => {
    const lines = problemsWith((raw) => (raw.ldap.searchDn = `cn=${secret},dc=example,dc=com`));
    expect(lines).toContain(
      `ldap.searchDn: contains "${secret}", a known default password: secrets never go in the config: store the value in AWS Secrets Manager and name that secret in the matching *Secret field`,
    );
  });

  it('refuses a value where a Secrets Manager name belongs', () => {
    expect(schemaProblemsWith((raw) => (raw.harbor.adminPasswordSecret = 'p@ss word!'))).toEqual([
      'harbor.adminPasswordSecret: is not a Secrets Manager secret name: use 1-512 characters of letters, digits and /_+=.@-',
    ]);
  });

  it('checks the file name against the environment name', () => {
    const raw = rawEnvironment('dev');
    raw.name = 'qa';
    expect(loadEnvironmentText(stringify(raw), 'dev').problems.map(formatProblem)).toEqual([
      'name: "qa" differs from the file name "dev": rename the file or set name: dev',
    ]);
  });
});
