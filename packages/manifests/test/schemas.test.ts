import { describe, expect, it } from 'vitest';
import { environment, named, synth, variants } from './util.js';
import { schemaErrors, UNVALIDATED_KINDS, veleroSchemas } from './validate.js';

describe('every synthesized object against the Kubernetes 1.33 schema and the Velero 1.18.1 CRDs', () => {
  const velero = veleroSchemas();

  for (const [name, config] of variants()) {
    it(`has zero schema errors: ${name}`, () => {
      if (!velero) return;
      const { objects } = synth(config);
      expect(objects.length).toBeGreaterThan(20);
      expect(objects.flatMap((o) => schemaErrors(o, velero))).toEqual([]);
      // Only the External Secrets kinds go unchecked, and they are named.
      expect(objects.filter((o) => UNVALIDATED_KINDS.has(`${o.apiVersion}/${o.kind}`)).map((o) => o.kind)).not.toContain('StatefulSet');
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

  it('refuses a kind it has no schema for instead of passing it', () => {
    if (!velero) return;
    expect(schemaErrors({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, velero)).toEqual([
      'Widget/w: no schema for example.com/v1/Widget: add its model or CRD to the validator',
    ]);
  });
});
