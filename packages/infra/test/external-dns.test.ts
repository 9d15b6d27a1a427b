import { EXTERNAL_DNS, EXTERNAL_DNS_CHART, TESTED_VERSIONS, type ExternalDnsSettings } from '@harbor-platform/config';
import { Template } from 'aws-cdk-lib/assertions';
import { Aspects, type Stack } from 'aws-cdk-lib/core';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { appliedManifests, nagFindings, refId, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testCluster, type SynthesizedEnvironment } from './util.js';
import { ExternalDns } from '../src/index.js';

/** The policy statements attached to the role of one Pod Identity association. */
function statementsOfRole(template: Template, roleId: string): any[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: any) => refId(r) === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const zoneArn = (id: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:route53:::hostedzone/${id}`]] });

/** Minimal settings, none of a committed environment's: what the construct makes of them is all it may use. */
const settings: ExternalDnsSettings = {
  chartVersion: TESTED_VERSIONS.externalDnsChart.versions[0],
  hostedZone: 'example.org',
  hostedZoneId: 'Z0EXAMPLE0ZONE0ID',
  harborHostname: 'registry.example.org',
  sourceNamespace: 'registry',
  region: 'eu-central-1',
};

describe('ExternalDns on its own', () => {
  let template: Template;
  let stack: Stack;
  beforeAll(() => {
    const built = testCluster();
    stack = built.stack;
    new ExternalDns(stack, 'ExternalDns', { cluster: built.cluster, ...settings });
    Aspects.of(stack).add(new AwsSolutionsChecks());
    template = Template.fromStack(stack);
  }, SYNTH_TIMEOUT);

  it('leaves cdk-nag nothing to report on its role (the zone-listing wildcard is suppressed with its reason)', () => {
    expect(nagFindings(stack).filter((f) => f.includes('ExternalDns'))).toEqual([]);
  });

  it('binds a role to the chart\'s service account through Pod Identity', () => {
    const associations = Object.values(resourcesOf(template, 'AWS::EKS::PodIdentityAssociation')).filter((a) => a.Properties.Namespace === EXTERNAL_DNS.namespace);
    expect(associations.map((a) => a.Properties.ServiceAccount)).toEqual([EXTERNAL_DNS.serviceAccount]);
    const role = Object.values(resourcesOf(template, 'AWS::IAM::Role')).find((r) => r.Properties.Description?.startsWith('ExternalDNS'))!;
    const trust = role.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(trust.Condition.StringEquals).toMatchObject({
      'aws:RequestTag/kubernetes-namespace': EXTERNAL_DNS.namespace,
      'aws:RequestTag/kubernetes-service-account': EXTERNAL_DNS.serviceAccount,
    });
  });

  it('may change records of the configured zone only, and only Harbor\'s names there', () => {
    const roleId = refId(Object.values(resourcesOf(template, 'AWS::EKS::PodIdentityAssociation')).find((a) => a.Properties.Namespace === EXTERNAL_DNS.namespace)!.Properties.RoleArn)!;
    const statements = statementsOfRole(template, roleId);
    const h = settings.harborHostname;
    expect(statements).toEqual([
      {
        Sid: 'ChangeHarborRecordsOfTheZone',
        Effect: 'Allow',
        Action: 'route53:ChangeResourceRecordSets',
        Resource: zoneArn(settings.hostedZoneId),
        Condition: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [h, `a-${h}`, `aaaa-${h}`, `cname-${h}`] } },
      },
      { Sid: 'ReadTheZone', Effect: 'Allow', Action: 'route53:ListResourceRecordSets', Resource: zoneArn(settings.hostedZoneId) },
      // IAM has no resource-level permission for listing zones.
      { Sid: 'FindTheZone', Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' },
    ]);
  });

  it('installs the chart version it is given, after the association, with the cluster\'s own name as TXT owner', () => {
    const charts = Object.values(resourcesOf(template, 'Custom::AWSCDK-EKS-HelmChart')).filter((c) => c.Properties.Chart === EXTERNAL_DNS_CHART.chart);
    expect(charts).toHaveLength(1);
    const chart = charts[0]!;
    expect(chart.Properties).toMatchObject({
      Release: EXTERNAL_DNS.release,
      Namespace: EXTERNAL_DNS.namespace,
      Repository: EXTERNAL_DNS_CHART.repository,
      Version: settings.chartVersion,
      CreateNamespace: true,
    });
    const association = Object.entries(resourcesOf(template, 'AWS::EKS::PodIdentityAssociation')).find(([, a]) => a.Properties.Namespace === EXTERNAL_DNS.namespace)![0];
    expect(chart.DependsOn).toContain(association);
    // The values are JSON around the cluster's Ref: the owner ID is whatever name EKS gave the cluster.
    const parts: unknown[] = chart.Properties.Values['Fn::Join'][1];
    const clusterId = Object.keys(resourcesOf(template, 'AWS::EKS::Cluster'))[0]!;
    const at = parts.findIndex((p) => refId(p) === clusterId);
    expect(String(parts[at - 1])).toMatch(/"txtOwnerId":"$/);
    const text = parts.map((p) => (typeof p === 'string' ? p : 'CLUSTER')).join('');
    expect(JSON.parse(text)).toMatchObject({
      provider: { name: 'aws' },
      sources: ['ingress'],
      policy: 'upsert-only',
      registry: 'txt',
      txtOwnerId: 'CLUSTER',
      // The zone by name and by ID, Harbor's namespace as the only source, the region for the SDK.
      domainFilters: [settings.hostedZone],
      extraArgs: { 'zone-id-filter': [settings.hostedZoneId] },
      namespaced: true,
      sourceNamespace: settings.sourceNamespace,
      env: [{ name: 'AWS_DEFAULT_REGION', value: settings.region }],
      serviceAccount: { create: true, name: EXTERNAL_DNS.serviceAccount },
    });
  });
});

describe('ExternalDNS in the platform stacks', () => {
  let envs: SynthesizedEnvironment[];
  beforeAll(() => {
    envs = [synthesizeEnvironment('dev'), synthesizeEnvironment('prod')];
  }, SYNTH_TIMEOUT);

  it("installs it once per environment, after the manifest that creates Harbor's namespace (its Role lives there)", () => {
    for (const env of envs) {
      const charts = Object.values(resourcesOf(env.template, 'Custom::AWSCDK-EKS-HelmChart')).filter((c) => c.Properties.Chart === EXTERNAL_DNS_CHART.chart);
      expect(charts).toHaveLength(1);
      const namespaces = appliedManifests(env.template).find((m) => m.objects.some((o) => o.kind === 'Namespace' && o.metadata.name === env.config.harbor.namespace))!;
      expect(charts[0]!.DependsOn).toContain(namespaces.id);
    }
  });

  it("scopes each environment's role to its own zone and its own Harbor hostname", () => {
    for (const env of envs) {
      const route53 = Object.values(resourcesOf(env.template, 'AWS::IAM::Policy'))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('route53:')));
      const zones = route53.flatMap((s: any) => [s.Resource].flat()).filter((r: unknown) => r !== '*');
      expect(zones).toEqual([zoneArn(env.config.dns.hostedZoneId), zoneArn(env.config.dns.hostedZoneId)]);
      const names = route53.flatMap((s: any) => s.Condition?.['ForAllValues:StringEquals']?.['route53:ChangeResourceRecordSetsNormalizedRecordNames'] ?? []);
      expect(names).toContain(env.config.dns.harborHostname);
    }
    expect(envs[0]!.config.dns.hostedZoneId).not.toBe(envs[1]!.config.dns.hostedZoneId);
  });
});
