import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWith, problemsWith, REPO_ROOT, schemaProblemsWith } from './util.js';
import { environmentJsonSchema, formatProblem, harborChart, TESTED_VERSIONS, testedVersionsMarkdown, untestedVersion, veleroChart, type EnvironmentConfig } from '../src/index.js';

const README_START = '<!-- tested-versions:start (generated from packages/config/src/versions.ts; a test keeps it equal) -->';
const README_END = '<!-- tested-versions:end -->';

describe('tested versions: one table for validate, synth and the README', () => {
  it.each([
    ['cluster.kubernetesVersion', (raw: any) => (raw.cluster.kubernetesVersion = '1.21'), '"1.21" is not a version of the Kubernetes (EKS) this platform is tested with: use 1.35 (adding a version to TESTED_VERSIONS in packages/config/src/versions.ts needs its kubectl layer in packages/infra, EKS standard support for it, and the charts rendered at that version to pass first)'],
    // 1.33 is a real EKS version, but on paid extended support since 2026-07-29.
    ['cluster.kubernetesVersion', (raw: any) => (raw.cluster.kubernetesVersion = '1.33'), '"1.33" is not a version of the Kubernetes (EKS) this platform is tested with: use 1.35 (adding a version to TESTED_VERSIONS in packages/config/src/versions.ts needs its kubectl layer in packages/infra, EKS standard support for it, and the charts rendered at that version to pass first)'],
    ['harbor.chartVersion', (raw: any) => (raw.harbor.chartVersion = '1.12.2'), '"1.12.2" is not a version of the Harbor Helm chart this platform is tested with: use 1.19.1 (adding a version to TESTED_VERSIONS in packages/config/src/versions.ts needs the values conformance tests against that chart\'s values.yaml and templates to pass first)'],
    ['velero.chartVersion', (raw: any) => (raw.velero.chartVersion = '9.0.0'), '"9.0.0" is not a version of the Velero Helm chart this platform is tested with: use one of 11.1.1, 12.0.3 (adding a version to TESTED_VERSIONS in packages/config/src/versions.ts needs the values conformance tests against that chart\'s values.yaml and templates to pass first)'],
    ['velero.version', (raw: any) => (raw.velero.version = '1.16.0'), '"1.16.0" is not a version of the Velero this platform is tested with: use 1.18.2 (adding a version to TESTED_VERSIONS in packages/config/src/versions.ts needs the manifests\' validation against that release\'s CRDs and the restore-modifier tests to pass first)'],
    ['velero.awsPluginVersion', (raw: any) => (raw.velero.awsPluginVersion = 'v1.9.0'), '"v1.9.0" is not a version of the Velero plugin for AWS this platform is tested with: use v1.14.2 (adding a version to TESTED_VERSIONS in packages/config/src/versions.ts needs a plugin release built against the Velero version above to pass first)'],
  ])('validate refuses an untested %s, naming the tested versions', (path, mutate, message) => {
    expect(problemsWith(mutate)).toEqual([`${path}: ${message}`]);
  });

  it('refuses an untested PostgreSQL engine only where an external database uses it', () => {
    expect(problemsWith((raw) => (raw.harbor.database.engineVersion = '12'), 'prod')).toEqual([
      'harbor.database.engineVersion: "12" is not a version of the RDS PostgreSQL (external database) this platform is tested with: use 16 (adding a version to TESTED_VERSIONS in packages/config/src/versions.ts needs Harbor\'s supported PostgreSQL range and the RDS engine versions the CDK app can create to pass first)',
    ]);
  });

  it('refuses a pinned PostgreSQL minor, which RDS stops offering, naming the major to write', () => {
    expect(schemaProblemsWith((raw) => (raw.harbor.database.engineVersion = '16.4'), 'prod')).toEqual([
      'harbor.database.engineVersion: is not a PostgreSQL major version: write the major alone, quoted, such as "16" (RDS creates its current minor and applies minor upgrades itself; a pinned minor fails once AWS stops offering it)',
    ]);
  });

  it('accepts Velero\'s version with or without its "v", and every committed environment', () => {
    expect(problemsWith((raw) => (raw.velero.version = 'v1.18.2'))).toEqual([]);
    expect(problemsWith(() => {}, 'dev')).toEqual([]);
    expect(problemsWith(() => {}, 'prod')).toEqual([]);
  });

  it('makes synthesis refuse an untested chart with the line validate prints', () => {
    const config = (mutate: (raw: any) => void) => {
      const r = loadWith(mutate);
      if (!r.ok) throw new Error('expected a valid config');
      return r.config as EnvironmentConfig;
    };
    // The config is valid; the chart version is swapped after validation, as a caller of the builders could.
    const harbor = config(() => {});
    const velero = config(() => {});
    (harbor.harbor as { chartVersion: string }).chartVersion = '1.12.2';
    (velero.velero as { chartVersion: string }).chartVersion = '9.0.0';
    expect(() => harborChart(harbor)).toThrow(formatProblem(untestedVersion('harborChart', '1.12.2')!));
    expect(() => veleroChart(velero)).toThrow(formatProblem(untestedVersion('veleroChart', '9.0.0')!));
    expect(harborChart(config(() => {})).version).toBe(TESTED_VERSIONS.harborChart.versions[0]);
  });

  it("keeps the README's table equal to the code's", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    expect(start, `README.md needs a section between ${README_START} and ${README_END}`).toBeGreaterThanOrEqual(0);
    expect(readme.slice(start + README_START.length, end).trim()).toBe(testedVersionsMarkdown());
  });

  it('covers every versioned field of the schema', () => {
    const versioned: string[] = [];
    const walk = (node: any, path: string) => {
      if (!node || typeof node !== 'object') return;
      for (const [key, child] of Object.entries<any>(node.properties ?? {})) {
        const at = path ? `${path}.${key}` : key;
        if (/version$/i.test(key) && child.type === 'string') versioned.push(at);
        walk(child, at);
      }
      for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) walk(branch, path);
      if (node.items) walk(node.items, path);
    };
    walk(environmentJsonSchema(), '');
    expect([...new Set(versioned)].sort()).toEqual(Object.values(TESTED_VERSIONS).map((t) => t.field).sort());
  });

  it('lists every component once, each with at least one version', () => {
    const fields = Object.values(TESTED_VERSIONS).map((t) => t.field);
    expect(new Set(fields).size).toBe(fields.length);
    for (const t of Object.values(TESTED_VERSIONS)) expect(t.versions.length).toBeGreaterThan(0);
  });
});
