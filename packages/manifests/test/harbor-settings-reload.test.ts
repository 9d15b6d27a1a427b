import { HARBOR_SECRETS, imageReference } from '@harbor-platform/config';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { environment, named } from './util.js';
import { externalSecretsSchemas, schemaErrors } from './validate.js';
import { HarborSettingsReloadChart, HarborSettingsReloadRbacChart } from '../src/index.js';

describe('harbor-settings-reload (restarts core on a rotated LDAP bind password)', () => {
  // The chart on the plan's names and the ops image alone.
  const { plan } = environment();
  const names = plan.names;
  const ops = imageReference(plan.images.ops);
  const objects = new HarborSettingsReloadChart(Testing.app(), 'reload', { plan: { names }, images: { ops } }).toJson();

  it('runs the ops CLI every five minutes in Harbor\'s namespace with its own service account, one run at a time', () => {
    const cron = named(objects, 'CronJob', 'harbor-settings-reload');
    expect(cron.metadata.namespace).toBe(names.namespaces.harbor);
    expect(cron.spec).toMatchObject({ schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid' });
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('harbor-settings-reload');
    expect(pod.containers[0]).toMatchObject({ image: ops, command: ['harbor-platform'], args: ['harbor-settings-reload', '--namespace', names.namespaces.harbor] });
    expect(named(objects, 'ServiceAccount', 'harbor-settings-reload').metadata.namespace).toBe(names.namespaces.harbor);
  });

  it('may only reach DNS and HTTPS (the API server), and nothing may reach it', () => {
    const policy = named(objects, 'NetworkPolicy', 'harbor-settings-reload');
    const cron = named(objects, 'CronJob', 'harbor-settings-reload');
    expect(cron.spec.jobTemplate.spec.template.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toBeUndefined();
    expect(policy.spec.egress.map((r: any) => r.ports.map((p: any) => `${p.protocol}/${p.port}`).join(','))).toEqual(['TCP/443', 'UDP/53,TCP/53']);
  });

  it('its Role reads only the settings Secret and reads and patches only core\'s Deployment, bound to its service account', () => {
    const rbac = new HarborSettingsReloadRbacChart(Testing.app(), 'rbac', { plan: { names } }).toJson();
    const role = rbac.find((o: any) => o.kind === 'Role');
    expect(role.metadata.namespace).toBe(names.namespaces.harbor);
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: [HARBOR_SECRETS.userSettings], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['harbor-core'], verbs: ['get', 'patch'] },
    ]);
    const binding = rbac.find((o: any) => o.kind === 'RoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'harbor-settings-reload', namespace: names.namespaces.harbor }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'harbor-settings-reload' });
    const schemas = externalSecretsSchemas();
    if (schemas) expect(rbac.flatMap((o: any) => schemaErrors(o, schemas))).toEqual([]);
  }, 120_000);
});
