import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './util.js';
import { environmentJsonSchema } from '../src/index.js';

describe('editor JSON Schema', () => {
  it('is committed as generated from the zod schema (run "npx projen schema" after changing the schema)', () => {
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'environment.schema.json'), 'utf8'));
    expect(committed).toEqual(environmentJsonSchema());
  });

  it('describes fields and refuses unknown ones', () => {
    const schema = environmentJsonSchema() as any;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.minio.properties.tolerateZoneLoss.enum).toEqual(['none', 'read', 'readWrite']);
    expect(schema.properties.minio.properties.rootCredentialsSecret.description).toMatch(/Secrets Manager/);
  });

  it.each(['dev', 'prod'])('is referenced from the first line of environments/%s.yaml', (name) => {
    const first = readFileSync(join(REPO_ROOT, 'environments', `${name}.yaml`), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=../schemas/environment.schema.json');
  });
});
