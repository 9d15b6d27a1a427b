import { EXTERNAL_DNS, externalDnsChart, externalDnsSettings, externalDnsValues } from '@harbor-platform/config';
import { goModuleChart, renderChart } from '@harbor-platform/config/testing';
import { describe, expect, it } from 'vitest';
import { formatFinding, podSecurityFindings } from './pod-security.js';
import { environment } from './util.js';
import { schemaErrors } from './validate.js';

/**
 * The real ExternalDNS chart (unpacked by scripts/local-stack/install-go-tools) with the
 * values the CDK app installs it with: every object valid against the Kubernetes schema,
 * and its pod within the restricted Pod Security level, although Helm creates its
 * namespace without a level of its own.
 */
describe('ExternalDNS chart objects', () => {
  it.each(['dev', 'prod'] as const)('%s: valid Kubernetes objects, the pod restricted', (name) => {
    const { config, plan } = environment(name);
    const settings = externalDnsSettings(config, plan);
    const objects = renderChart({
      chart: goModuleChart(externalDnsChart(settings.chartVersion).chart),
      values: externalDnsValues(settings, { clusterName: plan.names.cluster }),
      release: EXTERNAL_DNS.release,
      namespace: EXTERNAL_DNS.namespace,
      kubeVersion: config.cluster.kubernetesVersion,
    });
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
    expect(objects.flatMap((o) => schemaErrors(o, new Map()))).toEqual([]);
    expect(objects.flatMap((o) => podSecurityFindings(o, 'restricted')).map(formatFinding)).toEqual([]);
  }, 120_000);
});
