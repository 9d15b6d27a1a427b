import { describe, expect, it } from 'vitest';
import { loadWith } from './util.js';
import { harborValues, planEnvironment, type EnvironmentConfig, type HarborEndpoints } from '../src/index.js';

/** The Harbor values of a validated environment, from its plan (as the CDK app and `npm run synth` pass it). */
const valuesOf = (c: EnvironmentConfig, endpoints?: HarborEndpoints) => harborValues(c, planEnvironment(c), endpoints);

function devConfig(): EnvironmentConfig {
  const r = loadWith(() => {}, 'dev');
  if (!r.ok) throw new Error('dev should load');
  return r.config;
}

const annotations = (values: ReturnType<typeof harborValues>) => (values.expose as any).ingress.annotations as Record<string, string | null>;

// The CDK app makes the load balancer's security group (443 from anywhere, nothing else) and passes its id.
describe("Harbor ingress and the CDK app's load balancer security group", () => {
  it('puts the given group on the ALB and lets the controller open the targets to it', () => {
    const a = annotations(valuesOf(devConfig(), { loadBalancerSecurityGroupId: 'sg-0123456789abcdef0' }));
    expect(a['alb.ingress.kubernetes.io/security-groups']).toBe('sg-0123456789abcdef0');
    expect(a['alb.ingress.kubernetes.io/manage-backend-security-group-rules']).toBe('true');
  });

  it('leaves the group to the controller when none is given', () => {
    const a = annotations(valuesOf(devConfig()));
    expect(a['alb.ingress.kubernetes.io/security-groups']).toBeUndefined();
    expect(a['alb.ingress.kubernetes.io/manage-backend-security-group-rules']).toBeUndefined();
  });
});
