import type { Template } from 'aws-cdk-lib/assertions';
import { CfnResource } from 'aws-cdk-lib/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nagFindings, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, type SynthesizedEnvironment } from './util.js';

/** Every ingress rule of a template (inline and standalone) as "cidr port-range group". */
function worldIngress(t: Template): string[] {
  const rules: { rule: any; group: string }[] = [];
  for (const [id, sg] of Object.entries(resourcesOf(t, 'AWS::EC2::SecurityGroup'))) {
    for (const rule of sg.Properties.SecurityGroupIngress ?? []) rules.push({ rule, group: sg.Properties.GroupDescription ?? id });
  }
  for (const [id, i] of Object.entries(resourcesOf(t, 'AWS::EC2::SecurityGroupIngress'))) rules.push({ rule: i.Properties, group: id });
  return rules
    .filter(({ rule }) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0')
    .map(({ rule, group }) => `${rule.CidrIp ?? rule.CidrIpv6} ${rule.IpProtocol}/${rule.FromPort}-${rule.ToPort} ${group}`);
}

describe('security of the synthesized environments', () => {
  let envs: SynthesizedEnvironment[];
  beforeAll(() => {
    envs = [synthesizeEnvironment('dev'), synthesizeEnvironment('prod')];
  }, SYNTH_TIMEOUT);

  it('leaves no cdk-nag AwsSolutions error or warning unsuppressed', () => {
    for (const env of envs) {
      expect(nagFindings(env.platform)).toEqual([]);
      expect(nagFindings(env.github)).toEqual([]);
    }
  });

  it('gives every cdk-nag suppression a specific reason', () => {
    for (const env of envs) {
      const reasons = env.platform.node
        .findAll()
        .filter((c): c is CfnResource => c instanceof CfnResource)
        .flatMap((c) => (c.getMetadata('cdk_nag')?.rules_to_suppress ?? []) as { id: string; reason: string }[]);
      expect(reasons.length).toBeGreaterThan(10);
      for (const r of reasons) expect(r.reason.length, `${r.id}: ${r.reason}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('opens nothing to the internet except HTTPS on the load balancer', () => {
    for (const env of envs) {
      expect(worldIngress(env.template)).toEqual(['0.0.0.0/0 tcp/443-443 Harbor ingress load balancer: HTTPS from the internet']);
      expect(worldIngress(env.githubTemplate)).toEqual([]);
    }
  });

  it('encrypts every bucket, secret, volume and log-bearing store it creates', () => {
    for (const env of envs) {
      for (const b of Object.values(resourcesOf(env.template, 'AWS::S3::Bucket'))) expect(b.Properties.BucketEncryption).toBeDefined();
      for (const s of Object.values(resourcesOf(env.template, 'AWS::SecretsManager::Secret'))) expect(s.Properties.KmsKeyId).toBeDefined();
      for (const k of Object.values(resourcesOf(env.template, 'AWS::KMS::Key'))) expect(k.Properties.EnableKeyRotation).toBe(true);
    }
  });
});
