import { crdErrors, EXTERNAL_SECRETS_CRD_RELEASE, externalSecretsSchemas, type CrdSchema } from '@harbor-platform/config/testing';
import { DEFAULTS } from '@harbor-platform/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import { appliedManifests, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, type SynthesizedEnvironment } from './composed.js';

/** Every object of an External Secrets API group (external-secrets.io, generators.external-secrets.io) the stack applies. */
function externalSecretsObjects(env: SynthesizedEnvironment): any[] {
  return appliedManifests(env.template)
    .flatMap((m) => m.objects)
    .filter((o) => /(^|\.)external-secrets\.io\//.test(o.apiVersion));
}

describe('External Secrets 2.x: the chart and every object the stacks apply against the v2.9.0 CRDs', () => {
  let envs: SynthesizedEnvironment[];
  // Undefined when ../shared/upstream is missing outside CI (reported as NOT RUN; under CI it throws).
  const crds: Map<string, CrdSchema> | undefined = externalSecretsSchemas();
  beforeAll(() => {
    envs = [synthesizeEnvironment('dev'), synthesizeEnvironment('prod')];
  }, SYNTH_TIMEOUT);

  it('installs the chart of the release whose CRDs the objects are validated against, a 2.x one', () => {
    expect(DEFAULTS.externalSecrets.version).toBe(EXTERNAL_SECRETS_CRD_RELEASE);
    expect(Number(DEFAULTS.externalSecrets.version.split('.')[0])).toBeGreaterThanOrEqual(2);
    for (const env of envs) {
      const charts = Object.values(resourcesOf(env.template, 'Custom::AWSCDK-EKS-HelmChart')).filter((c) => c.Properties.Chart === 'external-secrets');
      expect(charts.map((c) => c.Properties.Version)).toEqual([EXTERNAL_SECRETS_CRD_RELEASE]);
    }
  });

  it('applies only external-secrets.io/v1 objects (2.x no longer serves v1beta1), each valid against its served CRD version', () => {
    if (!crds) return;
    for (const env of envs) {
      const objects = externalSecretsObjects(env);
      expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['ExternalSecret', 'ClusterSecretStore']));
      for (const o of objects) {
        expect(o.apiVersion, `${o.kind}/${o.metadata.name}`).toBe('external-secrets.io/v1');
        expect(crdErrors(o, crds), `${o.kind}/${o.metadata.name}`).toEqual([]);
      }
    }
  });

  it('would catch an object of the removed v1beta1 API or one that breaks the CRD', () => {
    if (!crds) return;
    const es = structuredClone(externalSecretsObjects(envs[0]!).find((o) => o.kind === 'ExternalSecret'));
    // v1beta1 is still in the 2.9.0 CRD, with served: false: no validator, so the check refuses it.
    expect(crdErrors({ ...es, apiVersion: 'external-secrets.io/v1beta1' }, crds)).toBeUndefined();
    es.spec.target.creationPolicy = 'Sometimes';
    es.spec.secretStoreRef.namespace = 'harbor';
    expect(crdErrors(es, crds)).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/spec\/target\/creationPolicy must be equal to one of the allowed values/), expect.stringMatching(/unknown field spec\.secretStoreRef\.namespace$/)]),
    );
  });
});
