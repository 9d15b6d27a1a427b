import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HARBOR_RELEASE } from '@harbor-platform/config';
import { upstreamPath } from '@harbor-platform/config/testing';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyRules } from './support/velero-patch.js';
import { DRILL_EXCLUDED_RESOURCES, drillModifierRules, modifierConfigMap, MODIFIERS_KEY } from '../src/velero/modifiers.js';
import { backupObject, restoreObject, timestampedName } from '../src/velero/objects.js';

/** Velero's CRDs as released (read in place, never copied into the repository). */
const CRD_DIR = upstreamPath('velero-v1.18.1', 'Velero CRD conformance');
const haveCrds = CRD_DIR !== undefined;

function crdValidator(file: string) {
  const crd = parse(readFileSync(join(CRD_DIR!, file), 'utf8'));
  const version = crd.spec.versions.find((v: { name: string }) => v.name === 'v1');
  // Kubernetes structural schemas carry x-kubernetes-* keywords that ajv does not know.
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(version.schema.openAPIV3Schema);
}

const drillRestore = restoreObject({
  name: timestampedName('drill-prod', new Date('2026-11-25T18:00:05Z')),
  veleroNamespace: 'velero',
  backupName: 'harbor-daily-20261124030012',
  includedNamespaces: ['harbor', 'minio'],
  namespaceMapping: { harbor: 'harbor-drill', minio: 'minio-drill' },
  resourceModifierConfigMap: 'harbor-platform-drill-prod',
  excludedResources: DRILL_EXCLUDED_RESOURCES,
});
const safety = backupObject({ name: 'safety-prod-20261125t180000z', veleroNamespace: 'velero', includedNamespaces: ['harbor', 'minio'] });

describe.runIf(haveCrds)('Velero objects against the v1.18.1 CRD schemas', () => {
  const restores = haveCrds ? crdValidator('velero.io_restores.yaml') : undefined;
  const backups = haveCrds ? crdValidator('velero.io_backups.yaml') : undefined;

  it("the drill's Restore validates", () => {
    expect(restores!(drillRestore), JSON.stringify(restores!.errors)).toBe(true);
  });

  it('an in-place Restore (the restore command) validates', () => {
    const inPlace = restoreObject({ name: 'restore-prod-20261125t180000z', veleroNamespace: 'velero', backupName: 'b', includedNamespaces: ['harbor'] });
    expect(restores!(inPlace), JSON.stringify(restores!.errors)).toBe(true);
  });

  it('the safety Backup validates', () => {
    expect(backups!(safety), JSON.stringify(backups!.errors)).toBe(true);
  });

  it('the schema is live: a misspelled field value is refused', () => {
    expect(restores!({ ...drillRestore, spec: { ...drillRestore.spec, existingResourcePolicy: 'overwrite', restorePVs: 'yes' } })).toBe(false);
    expect(backups!({ ...safety, spec: { ...safety.spec, includedNamespaces: 'harbor' } })).toBe(false);
  });

  it('recorded backup and restore states are valid Velero objects too', () => {
    const recorded = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/velero/backups.json'), 'utf8'));
    for (const b of recorded) expect(backups!(b), `${b.metadata.name}: ${JSON.stringify(backups!.errors)}`).toBe(true);
    const states = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/velero/restore-states.json'), 'utf8'));
    for (const [name, s] of Object.entries(states)) expect(restores!({ ...drillRestore, ...(s as object) }), name).toBe(true);
  });
});

describe('Restore and Backup objects', () => {
  it('the drill restores into the mapped namespaces, restores volumes, never overwrites and references the modifiers', () => {
    expect(drillRestore.spec).toMatchObject({
      backupName: 'harbor-daily-20261124030012',
      includedNamespaces: ['harbor', 'minio'],
      namespaceMapping: { harbor: 'harbor-drill', minio: 'minio-drill' },
      restorePVs: true,
      existingResourcePolicy: 'none',
      resourceModifier: { kind: 'ConfigMap', name: 'harbor-platform-drill-prod' },
      excludedResources: DRILL_EXCLUDED_RESOURCES,
    });
    expect(drillRestore.spec.excludedResources).toContain('ingresses.networking.k8s.io');
    expect(drillRestore.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'harbor-platform' });
  });

  it('names are valid Kubernetes names carrying the time', () => {
    const name = timestampedName('drill-prod', new Date('2026-11-25T18:00:05.123Z'));
    expect(name).toBe('drill-prod-20261125t180005z');
    expect(timestampedName('x'.repeat(80), new Date()).length).toBeLessThanOrEqual(63);
  });
});

// ---------------------------------------------------------------------------- resource modifiers

/** Harbor's registry Deployment as chart 1.19.1 renders it with registry.existingSecret and an S3 existingSecret (trimmed to the fields that matter). */
function renderedRegistryDeployment() {
  const envFrom = [{ secretRef: { name: `${HARBOR_RELEASE}-registry` } }, { secretRef: { name: 'harbor-registry-s3' } }];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${HARBOR_RELEASE}-registry`, namespace: 'harbor' },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'registry', args: ['serve', '/etc/registry/config.yml'], envFrom, env: [{ name: 'REGISTRY_HTTP_SECRET', valueFrom: { secretKeyRef: { name: 'harbor-internal', key: 'REGISTRY_HTTP_SECRET' } } }] },
            { name: 'registryctl', envFrom, env: [{ name: 'CORE_SECRET', valueFrom: { secretKeyRef: { name: 'harbor-internal', key: 'secret' } } }] },
          ],
        },
      },
    },
  };
}

const renderedCoreConfigMap = () => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `${HARBOR_RELEASE}-core`, namespace: 'harbor' },
  data: { EXT_ENDPOINT: 'https://harbor.example.com', CORE_URL: 'http://harbor-core:80', REGISTRY_URL: 'http://harbor-registry:5000' },
});

describe('drill resource modifiers', () => {
  const rules = drillModifierRules({ drillS3Endpoint: 'http://minio.minio-drill.svc.cluster.local:9000', drillExternalUrl: 'http://127.0.0.1:18080', harborRelease: HARBOR_RELEASE });
  type Rendered = ReturnType<typeof renderedRegistryDeployment>;
  const envOf = (d: Rendered, i: number) => d.spec.template.spec.containers[i]!.env as { name: string; value?: string }[];

  it('re-point the restored registry (and registryctl) at the drill MinIO, keeping the existing variables', () => {
    const patched = applyRules(rules, 'deployments.apps', renderedRegistryDeployment()) as ReturnType<typeof renderedRegistryDeployment>;
    for (const i of [0, 1]) {
      expect(envOf(patched, i).find((e) => e.name === 'REGISTRY_STORAGE_S3_REGIONENDPOINT')?.value).toBe('http://minio.minio-drill.svc.cluster.local:9000');
      expect(envOf(patched, i).length).toBe(envOf(renderedRegistryDeployment(), i).length + 1);
    }
  });

  it('keep the restored Harbor off the public hostname', () => {
    const patched = applyRules(rules, 'configmaps', renderedCoreConfigMap()) as ReturnType<typeof renderedCoreConfigMap>;
    expect(patched.data.EXT_ENDPOINT).toBe('http://127.0.0.1:18080');
    expect(JSON.stringify(patched)).not.toContain('harbor.example.com');
    expect(patched.data.REGISTRY_URL).toBe('http://harbor-registry:5000');
  });

  it('leave other objects alone', () => {
    const other = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${HARBOR_RELEASE}-jobservice` }, spec: {} };
    expect(applyRules(rules, 'deployments.apps', other)).toEqual(other);
    const cm = { ...renderedCoreConfigMap(), metadata: { name: `${HARBOR_RELEASE}-jobservice-env` } };
    expect(applyRules(rules, 'configmaps', cm)).toEqual(cm);
  });

  it('address the containers by name (strategic merge), so a chart that reorders them is still patched right', () => {
    const swapped = renderedRegistryDeployment();
    swapped.spec.template.spec.containers.reverse();
    const patched = applyRules(rules, 'deployments.apps', swapped) as Rendered;
    for (const c of patched.spec.template.spec.containers) {
      expect((c.env as { name: string; value?: string }[]).filter((e) => e.name === 'REGISTRY_STORAGE_S3_REGIONENDPOINT'), c.name).toEqual([{ name: 'REGISTRY_STORAGE_S3_REGIONENDPOINT', value: 'http://minio.minio-drill.svc.cluster.local:9000' }]);
    }
    expect(patched.spec.template.spec.containers.map((c) => c.name)).toEqual(['registryctl', 'registry']);
  });

  it('replace a variable of the same name instead of adding a second one', () => {
    const live = renderedRegistryDeployment();
    live.spec.template.spec.containers[0]!.env.push({ name: 'REGISTRY_STORAGE_S3_REGIONENDPOINT', value: 'http://minio.minio.svc.cluster.local:9000' } as never);
    const patched = applyRules(rules, 'deployments.apps', live) as Rendered;
    expect(envOf(patched, 0).filter((e) => e.name === 'REGISTRY_STORAGE_S3_REGIONENDPOINT')).toEqual([{ name: 'REGISTRY_STORAGE_S3_REGIONENDPOINT', value: 'http://minio.minio-drill.svc.cluster.local:9000' }]);
  });

  it("use only the fields Velero 1.18's ResourceModifiers decodes (it unmarshals strictly: an unknown field fails the restore)", () => {
    // internal/resourcemodifiers: ResourceModifiers{version, resourceModifierRules}, ResourceModifierRule{conditions,
    // patches, mergePatches, strategicPatches}, Conditions{namespaces, groupResource, resourceNameRegex, labelSelector, matches}.
    const doc = parse(modifierConfigMap('m', 'velero', rules).data[MODIFIERS_KEY]!);
    expect(Object.keys(doc).sort()).toEqual(['resourceModifierRules', 'version']);
    for (const r of doc.resourceModifierRules) {
      for (const k of Object.keys(r)) expect(['conditions', 'patches', 'mergePatches', 'strategicPatches']).toContain(k);
      for (const k of Object.keys(r.conditions)) expect(['namespaces', 'groupResource', 'resourceNameRegex', 'labelSelector', 'matches']).toContain(k);
      for (const p of r.strategicPatches ?? []) expect(Object.keys(p)).toEqual(['patchData']);
      for (const p of r.strategicPatches ?? []) expect(() => JSON.parse(p.patchData)).not.toThrow();
    }
  });

  it('live in a ConfigMap in the Velero namespace, as Velero reads them', () => {
    const cm = modifierConfigMap('harbor-platform-drill-prod', 'velero', rules);
    expect(cm.metadata).toMatchObject({ name: 'harbor-platform-drill-prod', namespace: 'velero' });
    expect(Object.keys(cm.data)).toEqual([MODIFIERS_KEY]);
    const doc = parse(cm.data[MODIFIERS_KEY]!);
    expect(doc.version).toBe('v1');
    expect(doc.resourceModifierRules).toEqual(rules);
  });
});
