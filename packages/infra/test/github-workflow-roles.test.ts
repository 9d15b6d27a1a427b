import { plannedEnvironment } from '@harbor-platform/config/testing';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { environment, resourcesOf, SYNTH_TIMEOUT, synthesizeEnvironment, testApp, testStack, type SynthesizedEnvironment } from './util.js';
import { DRIFT_READ_ACTIONS, driftReadActions, GithubDeployStack, WorkflowClusterAccess, type WorkflowClusterAccessProps } from '../src/index.js';

const OPERATIONS = 'harbor-platform-prod-github-operations';
const DEPLOY = 'harbor-platform-prod-github-deploy';

/** Statements of the policies attached to a role, in a template: by name (imported) or by Ref (same stack). */
function statementsOf(template: Template, roleName: string): any[] {
  const roleIds = Object.entries(resourcesOf(template, 'AWS::IAM::Role')).filter(([, r]) => r.Properties.RoleName === roleName).map(([id]) => id);
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: any) => r === roleName || roleIds.includes(r?.Ref)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}
const actionsOf = (statements: any[]) => statements.flatMap((s) => [s.Action].flat());
const bySid = (statements: any[], sid: string) => statements.find((s) => s.Sid === sid);

/** The access entry of a role (by its ARN, built from the role name). */
function accessEntry(template: Template, roleName: string): any {
  const entries = Object.values(resourcesOf(template, 'AWS::EKS::AccessEntry')).filter((e) => JSON.stringify(e.Properties.PrincipalArn).includes(`:role/${roleName}`));
  expect(entries).toHaveLength(1);
  return entries[0]!.Properties;
}

/** The RBAC objects applied for a Kubernetes group. */
function rbacOf(template: Template, group: string): any[] {
  return Object.values(resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource'))
    .map((r) => r.Properties.Manifest)
    .filter((m): m is string => typeof m === 'string')
    .map((m) => JSON.parse(m) as any[])
    .find((objects) => objects.some((o) => o.subjects?.some((s: any) => s.name === group)))!;
}

describe('GitHub operations role (GitHub stack of prod)', () => {
  let prod: SynthesizedEnvironment;
  let role: Record<string, any>;
  beforeAll(() => {
    prod = synthesizeEnvironment('prod');
    role = Object.values(resourcesOf(prod.githubTemplate, 'AWS::IAM::Role')).find((r) => r.Properties.RoleName === OPERATIONS)!.Properties;
  }, SYNTH_TIMEOUT);

  it('trusts only the drift and drill workflows on main in the operations GitHub environment (no reviewers), by the immutable IDs', () => {
    const { owner, repo, ownerId, repositoryId } = prod.config.github;
    expect(prod.plan.github.operationsEnvironment).toBe('prod-operations');
    const pinned = (file: string) => `repo:${owner}@${ownerId}/${repo}@${repositoryId}:environment:prod-operations:ref:refs/heads/main:job_workflow_ref:${owner}/${repo}/.github/workflows/${file}@refs/heads/main`;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: expect.anything() },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': [pinned('drift.yml'), pinned('restore-drill.yml')],
          },
        },
      },
    ]);
  });

  it('shares the one OIDC provider with the deploy role', () => {
    prod.githubTemplate.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    const roles = Object.values(resourcesOf(prod.githubTemplate, 'AWS::IAM::Role'));
    const federated = new Set(roles.map((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated)));
    expect(federated.size).toBe(1);
  });

  it("inspects only the environment's two stacks, describes only its cluster and may assume no other role", () => {
    const statements = statementsOf(prod.githubTemplate, OPERATIONS);
    const { account, region } = prod.config.aws;
    const drift = bySid(statements, 'DetectDriftOfTheEnvironmentStacks');
    expect(Object.keys(drift).sort()).toEqual(['Action', 'Effect', 'Resource', 'Sid']);
    expect(drift.Effect).toBe('Allow');
    expect([...drift.Action].sort()).toEqual(['cloudformation:DescribeStackResourceDrifts', 'cloudformation:DescribeStacks', 'cloudformation:DetectStackDrift', 'cloudformation:DetectStackResourceDrift', 'cloudformation:GetTemplate']);
    expect([...drift.Resource].sort()).toEqual(['harbor-platform-prod', 'harbor-platform-prod-github'].map((s) => `arn:aws:cloudformation:${region}:${account}:stack/${s}/*`).sort());
    expect(bySid(statements, 'ReadDriftDetectionStatus')).toMatchObject({ Action: 'cloudformation:DescribeStackDriftDetectionStatus', Resource: '*' });
    expect(bySid(statements, 'DescribeTheCluster')).toMatchObject({ Action: 'eks:DescribeCluster', Resource: `arn:aws:eks:${region}:${account}:cluster/harbor-platform-prod` });
    expect(actionsOf(statements).filter((a) => a.startsWith('sts:'))).toEqual([]);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it('has a stable role name and exports its ARN under a stable name', () => {
    expect(role.RoleName).toBe(prod.plan.github.operationsRole.name);
    prod.githubTemplate.hasOutput('GithubOperationsRoleArn', { Export: { Name: 'harbor-platform-prod-github-operations-role-arn' } });
  });
});

describe('grants of the workflow roles in the prod platform stack', () => {
  let prod: SynthesizedEnvironment;
  beforeAll(() => {
    prod = synthesizeEnvironment('prod');
  }, SYNTH_TIMEOUT);

  it('lets the operations role read the registry-data copy and write nothing anywhere', () => {
    const statements = [...statementsOf(prod.template, OPERATIONS), ...statementsOf(prod.githubTemplate, OPERATIONS)];
    const prefix = prod.plan.backups.registryData.prefix;
    expect(bySid(statements, 'RegistryDataList')).toMatchObject({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } } });
    expect(bySid(statements, 'RegistryDataRead')).toMatchObject({ Action: 's3:GetObject' });
    expect(JSON.stringify(bySid(statements, 'RegistryDataRead').Resource)).toContain(`/${prefix}*`);
    // Every action is a read: Describe, Get, List, BatchGet (codebuild:BatchGetProjects, the runner project's drift),
    // DetectStackDrift (which only reads), or kms:Decrypt of the copy.
    const writes = actionsOf(statements).filter((a) => !/^[a-z0-9-]+:(Describe|Get|List|BatchGet|DetectStack)/.test(a) && a !== 'kms:Decrypt');
    expect(writes).toEqual([]);
    // Data reads only on the copy's prefix: no secret values, no parameters, no other objects.
    expect(actionsOf(statements)).not.toContain('secretsmanager:GetSecretValue');
    expect(statements.filter((s) => [s.Action].flat().includes('s3:GetObject'))).toHaveLength(1);
  });

  it("covers every resource type of the environment's stacks with drift-detection reads", () => {
    const actions = new Set(actionsOf([...statementsOf(prod.template, OPERATIONS), ...statementsOf(prod.githubTemplate, OPERATIONS)]));
    for (const template of [prod.template, prod.githubTemplate]) {
      const types = new Set(Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type));
      for (const type of types) {
        if (/^(Custom::|AWS::CDK::)/.test(type)) continue;
        const service = /^AWS::(\w+)::/.exec(type)![1]!;
        expect(DRIFT_READ_ACTIONS[service], `${type} has drift reads`).toBeDefined();
        for (const a of DRIFT_READ_ACTIONS[service]!) expect(actions.has(a), `${a} (for ${type}) is granted`).toBe(true);
      }
    }
  });

  it('gives the operations role Edit only in the drill namespaces, by name, and binds its group', () => {
    const entry = accessEntry(prod.template, OPERATIONS);
    expect(entry.Type).toBe('STANDARD');
    expect(entry.KubernetesGroups).toEqual([prod.plan.names.clusterAccess.operations.group]);
    expect(entry.AccessPolicies).toEqual([
      { PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', AccessScope: { Type: 'namespace', Namespaces: ['harbor-drill', 'minio-drill'] } },
    ]);
  });

  it('binds the operations group to Velero restores, the drill ConfigMap, drill namespaces and volumes, and to no live Secret', () => {
    const objects = rbacOf(prod.template, prod.plan.names.clusterAccess.operations.group);
    const role = (kind: string, ns?: string) => objects.find((o) => o.kind === kind && o.metadata.namespace === ns)?.rules;
    expect(role('Role', 'velero')).toEqual([
      { apiGroups: ['velero.io'], resources: ['backups'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['velero.io'], resources: ['restores'], verbs: ['create', 'get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'update', 'delete'], resourceNames: [prod.plan.drill.modifiersConfigMap] },
    ]);
    // Smoke, which logs in with Harbor's admin password, runs with the deploy role.
    expect(role('Role', 'harbor')).toBeUndefined();
    expect(JSON.stringify(objects)).not.toContain('secrets');
    expect(role('Role', 'minio')).toBeUndefined();
    expect(role('ClusterRole')).toEqual([
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'delete'], resourceNames: ['harbor-drill', 'minio-drill'] },
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'patch', 'delete'] },
    ]);
    // No Velero Backup creation: a drill never writes into the backups it proves.
    expect(JSON.stringify(objects)).not.toMatch(/"backups"\],"verbs":\[[^\]]*"create"/);
  });

  it('gives restores (the deploy role, behind reviewers) the live namespaces, Velero backups and restores and the copy', () => {
    const entry = accessEntry(prod.template, DEPLOY);
    expect(entry.KubernetesGroups).toEqual([prod.plan.names.clusterAccess.restore.group]);
    expect(entry.AccessPolicies).toEqual([
      { PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', AccessScope: { Type: 'namespace', Namespaces: ['harbor', 'minio'] } },
    ]);
    const objects = rbacOf(prod.template, prod.plan.names.clusterAccess.restore.group);
    expect(objects.find((o) => o.kind === 'Role')).toMatchObject({ metadata: { namespace: 'velero' }, rules: [{ apiGroups: ['velero.io'], resources: ['backups', 'restores'], verbs: ['create', 'get', 'list', 'watch'] }] });
    expect(objects.find((o) => o.kind === 'ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'delete'], resourceNames: ['harbor', 'minio'] }]);
    const statements = statementsOf(prod.template, DEPLOY);
    expect([...bySid(statements, 'RegistryDataWrite').Action].sort()).toEqual(['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject']);
    expect(bySid(statements, 'DescribeTheCluster').Action).toBe('eks:DescribeCluster');
  });
});

describe('existing GitHub OIDC provider', () => {
  it('is imported from github.oidcProviderArn: no provider created, both roles trust it', () => {
    const arn = `arn:aws:iam::${environment('dev').config.aws.account}:oidc-provider/token.actions.githubusercontent.com`;
    const { plan } = plannedEnvironment('dev', (raw) => {
      raw.github.oidcProviderArn = arn;
    });
    const stack = new GithubDeployStack(testApp(), 'harbor-platform-dev-github', { plan });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    const roles = Object.values(resourcesOf(template, 'AWS::IAM::Role'));
    expect(roles).toHaveLength(2);
    for (const r of roles) expect(r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated).toBe(arn);
  });

  it('is created when the config names none', () => {
    const { config, plan } = environment('dev');
    expect(config.github.oidcProviderArn).toBeUndefined();
    const template = Template.fromStack(new GithubDeployStack(testApp(), 'harbor-platform-dev-github', { plan }));
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });
});

describe('WorkflowClusterAccess props and drift reads', () => {
  const props = (p: Partial<WorkflowClusterAccessProps>): WorkflowClusterAccessProps =>
    ({ cluster: { clusterName: 'c' } as any, principalArn: 'arn:aws:iam::111111111111:role/r', group: 'harbor-platform:x', name: 'x', ...p });
  const make = (p: Partial<WorkflowClusterAccessProps>) => () => new WorkflowClusterAccess(testStack(), 'Access', props(p));

  it('refuses a group EKS reserves', () => {
    expect(make({ group: 'system:masters' })).toThrow(/group: "system:masters" is reserved/);
  });

  it('refuses resourceNames with create, which Kubernetes cannot restrict by name', () => {
    expect(make({ clusterRules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['create'], resourceNames: ['a'] }] })).toThrow(/rules: resourceNames with create/);
  });

  it('refuses wildcards', () => {
    expect(make({ clusterRules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }] })).toThrow(/a wildcard verb or resource/);
  });

  it('refuses a resource type whose drift reads nobody wrote down', async () => {
    const stack = testStack();
    const { CfnResource } = await import('aws-cdk-lib/core');
    new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue' });
    expect(() => driftReadActions(stack)).toThrow(/no drift-detection read actions for AWS::SQS::Queue: add its service to DRIFT_READ_ACTIONS/);
  });
});
