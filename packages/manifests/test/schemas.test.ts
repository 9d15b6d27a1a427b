import { describe, expect, it } from 'vitest';
import { environment, named, synth, variants } from './util.js';
import { externalSecretsSchemas, schemaErrors, veleroSchemas } from './validate.js';

describe('every synthesized object against the Kubernetes 1.33 schema, the Velero 1.18.1 and External Secrets v2.9.0 CRDs', () => {
  const veleroOnly = veleroSchemas();
  const velero = veleroOnly && externalSecretsSchemas(veleroOnly);

  for (const [name, config] of variants()) {
    it(`has zero schema errors: ${name}`, () => {
      if (!velero) return;
      const { objects } = synth(config);
      expect(objects.length).toBeGreaterThan(20);
      expect(objects.flatMap((o) => schemaErrors(o, velero))).toEqual([]);
      expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['ExternalSecret', 'ClusterSecretStore']));
    });
  }

  it('reports an object that breaks the Kubernetes schema', () => {
    if (!velero) return;
    const sts = structuredClone(named(synth(environment()).objects, 'StatefulSet', 'minio-p0-z0'));
    sts.spec.replicas = 'three';
    expect(schemaErrors(sts, velero)).toEqual([expect.stringMatching(/StatefulSet\/minio-p0-z0: .*replicas must be integer/)]);
  });

  it('reports a Velero object that breaks its CRD, including an unknown field', () => {
    if (!velero) return;
    const schedule = structuredClone(synth(environment()).objects.find((o) => o.kind === 'Schedule'));
    schedule.spec.template.snapshotVolumes = 'yes';
    schedule.spec.template.snapshotVolume = true;
    const errors = schemaErrors(schedule, velero);
    expect(errors).toContainEqual(expect.stringMatching(/\/spec\/template\/snapshotVolumes must be boolean/));
    expect(errors).toContainEqual(expect.stringMatching(/unknown field spec\.template\.snapshotVolume$/));
  });

  it('reports an ExternalSecret that breaks the External Secrets CRD', () => {
    if (!velero) return;
    const es = structuredClone(synth(environment()).objects.find((o) => o.kind === 'ExternalSecret'));
    es.spec.refreshInterval = 3600;
    es.spec.secretStoreRef.kindd = 'ClusterSecretStore';
    const errors = schemaErrors(es, velero);
    expect(errors).toContainEqual(expect.stringMatching(/^ExternalSecret\/.*: \/spec\/refreshInterval must be string/));
    expect(errors).toContainEqual(expect.stringMatching(/unknown field spec\.secretStoreRef\.kindd$/));
  });

  it('refuses a kind it has no schema for instead of passing it', () => {
    if (!velero) return;
    expect(schemaErrors({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, velero)).toEqual([
      'Widget/w: no schema for example.com/v1/Widget: add its model or CRD to the validator',
    ]);
  });
});
