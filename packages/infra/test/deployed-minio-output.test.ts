/**
 * The platform stack reports MinIO's StatefulSets as deployed (an output), and the deploy role
 * may read that output and nothing else of CloudFormation: what the deploy job's
 * `plan --previous` check compares with before the next deploy.
 */
import { statefulSetChanges } from '@harbor-platform/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, type SynthesizedEnvironment } from './util.js';
import { DEPLOYED_MINIO_OUTPUT } from '../src/index.js';

describe("MinIO's deployed StatefulSets in the prod stacks", () => {
  let prod: SynthesizedEnvironment;
  beforeAll(() => {
    prod = synthesizeEnvironment('prod');
  }, SYNTH_TIMEOUT);

  it('is an output of the platform stack that plan --previous reads as a plan.json', () => {
    const outputs = prod.template.toJSON().Outputs as Record<string, { Value: unknown; Export?: unknown }>;
    const output = outputs[DEPLOYED_MINIO_OUTPUT]!;
    expect(typeof output.Value).toBe('string');
    expect(output.Export).toBeUndefined();
    // CloudFormation keeps an output value of at most 4,096 characters.
    expect((output.Value as string).length).toBeLessThan(4096);
    const deployed = JSON.parse(output.Value as string);
    expect(deployed.minio.statefulSets).toEqual(prod.plan.minio.statefulSets);
    expect(statefulSetChanges(deployed, prod.plan)).toEqual([]);
    const grown = { ...prod.plan, minio: { ...prod.plan.minio, statefulSets: prod.plan.minio.statefulSets.map((s) => ({ ...s, driveSize: '1Ti' })) } };
    expect(statefulSetChanges(deployed, grown).map((p) => p.path)).toContain('minio.pools[0].driveSize');
  });

  it('may be read by the deploy role: DescribeStacks on the platform stack only', () => {
    const statements = Object.values(resourcesOf(prod.githubTemplate, 'AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const read = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('cloudformation:')) && s.Sid === 'ReadDeployedStackOutputs');
    expect(read).toHaveLength(1);
    expect(read[0].Action).toBe('cloudformation:DescribeStacks');
    expect(JSON.stringify(read[0].Resource)).toMatch(/:stack\/harbor-platform-prod\/\*"/);
    expect(JSON.stringify(read[0].Resource)).not.toMatch(/harbor-platform-prod-github/);
  });
});
