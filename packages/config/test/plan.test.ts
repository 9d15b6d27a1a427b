import { describe, expect, it } from 'vitest';
import { loadWith } from './util.js';
import { OPERATIONS_ENVIRONMENT_SUFFIX, planEnvironment, planMarkdown, planPhrases, type EnvironmentConfig } from '../src/index.js';

function plan(mutate: (raw: any) => void = () => {}, name: 'dev' | 'prod' = 'dev') {
  const result = loadWith(mutate, name);
  if (!result.ok) throw new Error(result.problems.map((p) => p.path).join(', '));
  return planEnvironment(result.config as EnvironmentConfig, result.warnings);
}

describe('environment plan', () => {
  it('puts one node group in each zone with the configured sizes, its maximum the desired size (no autoscaler)', () => {
    const p = plan((raw) => (raw.cluster.nodeGroups.desiredPerAz = 2));
    expect(p.nodeGroups.map((n) => [n.name, n.availabilityZone, n.min, n.desired, n.max])).toEqual([
      ['dev-ap-northeast-2a', 'ap-northeast-2a', 1, 2, 2],
      ['dev-ap-northeast-2b', 'ap-northeast-2b', 1, 2, 2],
      ['dev-ap-northeast-2c', 'ap-northeast-2c', 1, 2, 2],
    ]);
  });

  it('counts NAT gateways from the choice', () => {
    expect(plan().network.natGateways).toBe(1);
    expect(plan(() => {}, 'prod').network.natGateways).toBe(3);
  });

  it('derives the in-cluster S3 endpoint Harbor uses, with scheme and port', () => {
    const p = plan((raw) => {
      raw.minio.namespace = 'object-store';
      raw.velero.schedules[0].includedNamespaces = ['harbor', 'object-store'];
    });
    expect(p.minio.endpoint).toBe('http://minio.object-store.svc.cluster.local:9000');
    expect(p.registryStorage).toMatchObject({ regionendpoint: 'http://minio.object-store.svc.cluster.local:9000', secure: false, bucket: 'harbor-registry', region: 'ap-northeast-2' });
  });

  it('writes the full Service name for any accepted form of minio.endpoint', () => {
    expect(plan((raw) => (raw.minio.endpoint = 'http://minio.minio:9000')).minio).toMatchObject({ endpoint: 'http://minio.minio.svc.cluster.local:9000', external: false });
  });

  it('sends the registry to an external store over its own scheme', () => {
    const p = plan((raw) => (raw.minio.externalEndpoint = 'https://s3.example.com:9443'));
    expect(p.minio).toMatchObject({ endpoint: 'https://s3.example.com:9443', external: true });
    expect(p.registryStorage).toMatchObject({ regionendpoint: 'https://s3.example.com:9443', secure: true });
  });

  it('lays out one StatefulSet per pool and zone, and a server argument that matches it', () => {
    const p = plan((raw) => {
      raw.minio.pools[0].serversPerAz = 2;
      raw.cluster.nodeGroups.minPerAz = 2;
      raw.cluster.nodeGroups.desiredPerAz = 2;
    }, 'dev');
    expect(p.minio.statefulSets.map((s) => [s.name, s.availabilityZone, s.replicas])).toEqual([
      ['minio-p0-z0', 'ap-northeast-2a', 2],
      ['minio-p0-z1', 'ap-northeast-2b', 2],
      ['minio-p0-z2', 'ap-northeast-2c', 2],
    ]);
    expect(p.minio.pools[0]!.serverArgument).toBe('http://minio-p0-z{0...2}-{0...1}.minio-hl.minio.svc.cluster.local:9000/data{0...1}');
  });

  it('writes a single server or drive without an ellipsis', () => {
    expect(plan().minio.pools[0]!.serverArgument).toBe('http://minio-p0-z{0...2}-0.minio-hl.minio.svc.cluster.local:9000/data{0...1}');
  });

  it('reports the erasure figures and capacity of every pool', () => {
    const p = plan(() => {}, 'prod');
    expect(p.minio.pools[0]).toMatchObject({ servers: 6, drives: 12, setDriveCount: 12, setCount: 1, parity: 4, readQuorum: 8, writeQuorum: 8 });
    expect(p.minio.pools[0]).toMatchObject({ survivesZoneLossForRead: true, survivesZoneLossForWrite: true });
    expect(p.minio.totals).toEqual({ servers: 6, drives: 12, rawCapacityGiB: 6000, usableCapacityGiB: 4000 });
  });

  it("gives every pool the first pool's parity, and the quorums and capacity that follow from it", () => {
    const p = plan((raw) => {
      raw.minio.pools.push({ serversPerAz: 2, drivesPerServer: 2, driveSize: '100Gi' });
      raw.cluster.nodeGroups = { ...raw.cluster.nodeGroups, minPerAz: 3, desiredPerAz: 3 };
      raw.minio.tolerateZoneLoss = 'none';
    });
    // The first pool's 6-drive sets default to EC:3; MinIO applies it to the 12-drive sets of pool 1 too.
    expect(p.minio.parity).toBe(3);
    expect(p.minio.pools.map((x) => [x.setDriveCount, x.parity, x.readQuorum, x.writeQuorum, x.usableCapacityGiB])).toEqual([
      [6, 3, 3, 4, 150],
      [12, 3, 9, 9, 900],
    ]);
    // Alone, pool 1 would get EC:4 and keep its objects readable with an AZ (4 drives) gone; under EC:3
    // it does not (9 of 12 needed), though new objects are still written there at a raised parity.
    expect(p.minio.pools.map((x) => [x.survivesZoneLossForRead, x.survivesZoneLossForWrite])).toEqual([[true, true], [false, true]]);
    expect(p.minio.totals).toEqual({ servers: 9, drives: 18, rawCapacityGiB: 1500, usableCapacityGiB: 1050 });
  });

  it('changes consistently when a pool grows from 2 to 3 servers per AZ', () => {
    const before = plan(() => {}, 'prod');
    const after = plan((raw) => {
      raw.minio.pools[0].serversPerAz = 3;
      raw.cluster.nodeGroups.minPerAz = 3;
      raw.cluster.nodeGroups.desiredPerAz = 3;
    }, 'prod');
    expect(after.minio.statefulSets.map((s) => s.replicas)).toEqual([3, 3, 3]);
    expect(after.minio.pools[0]!.serverArgument).toContain('-{0...2}.minio-hl');
    expect(after.minio.totals.drives).toBe(before.minio.totals.drives + 6);
    expect(after.minio.pools[0]!.setDriveCount).toBe(9);
    expect(after.minio.pools[0]!.sets.every((s) => s.drivesPerZone.every((d) => d === 3))).toBe(true);
  });

  it('names the drill namespaces from the suffix', () => {
    expect(plan().drill).toMatchObject({ namespaces: ['harbor-drill', 'minio-drill'], rtoTargetMinutes: 60, modifiersConfigMap: 'harbor-platform-drill-dev' });
  });

  it('runs the AZ-loss step by default, with the AZ by rotation; an environment opts out or names its AZ', () => {
    expect(plan().drill.zoneLoss).toEqual({ enabled: true, zone: 'rotate' });
    expect(plan((raw) => (raw.velero.drill.zoneLoss = { enabled: false })).drill.zoneLoss).toEqual({ enabled: false, zone: 'rotate' });
    expect(plan((raw) => (raw.velero.drill.zoneLoss = { zone: 'ap-northeast-2b' })).drill.zoneLoss).toEqual({ enabled: true, zone: 'ap-northeast-2b' });
    expect(planMarkdown(plan((raw) => (raw.velero.drill.zoneLoss = { enabled: false })))).toContain('AZ-loss step off.');
  });

  it('refuses an AZ-loss zone that is not one of the availability zones, naming the field and the fix', () => {
    const r = loadWith((raw) => (raw.velero.drill.zoneLoss = { zone: 'us-east-1a' }));
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}: ${p.fix}`)).toContain(
      'velero.drill.zoneLoss.zone: "us-east-1a" is not one of aws.availabilityZones (ap-northeast-2a, ap-northeast-2b, ap-northeast-2c): name one of them, or write "rotate"',
    );
  });

  it('derives the operations environment and both role ARNs from the github section and the account', () => {
    const p = plan(() => {}, 'prod');
    expect(p.github).toEqual({
      owner: 'example-org',
      repo: 'harbor-platform',
      environment: 'prod',
      operationsEnvironment: 'prod-operations',
      stackName: 'harbor-platform-prod-github',
      deployRole: {
        name: 'harbor-platform-prod-github-deploy',
        arn: 'arn:aws:iam::222222222222:role/harbor-platform-prod-github-deploy',
        // The deploy workflow and the restore workflow, each on main only, in the reviewer-gated environment.
        subjects: [
          'repo:example-org@123456/harbor-platform@456789:environment:prod:ref:refs/heads/main:job_workflow_ref:example-org/harbor-platform/.github/workflows/deploy.yml@refs/heads/main',
          'repo:example-org@123456/harbor-platform@456789:environment:prod:ref:refs/heads/main:job_workflow_ref:example-org/harbor-platform/.github/workflows/restore.yml@refs/heads/main',
        ],
        // The restore job's 240 minutes.
        maxSessionSeconds: 240 * 60,
      },
      operationsRole: {
        name: 'harbor-platform-prod-github-operations',
        arn: 'arn:aws:iam::222222222222:role/harbor-platform-prod-github-operations',
        subjects: [
          'repo:example-org@123456/harbor-platform@456789:environment:prod-operations:ref:refs/heads/main:job_workflow_ref:example-org/harbor-platform/.github/workflows/drift.yml@refs/heads/main',
          'repo:example-org@123456/harbor-platform@456789:environment:prod-operations:ref:refs/heads/main:job_workflow_ref:example-org/harbor-platform/.github/workflows/restore-drill.yml@refs/heads/main',
        ],
        // The drill job's 150 minutes.
        maxSessionSeconds: 150 * 60,
      },
      // The CodeBuild project whose runners sit in the VPC, and the label CodeBuild documents for its jobs.
      runner: { projectName: 'harbor-platform-prod-runner', label: 'codebuild-harbor-platform-prod-runner-${{ github.run_id }}-${{ github.run_attempt }}' },
      subjectClaimKeys: ['repo', 'context', 'ref', 'job_workflow_ref'],
      subjectForm: 'immutable',
      subjectPrefix: 'repo:example-org@123456/harbor-platform@456789',
      trustedRef: 'refs/heads/main',
      ownerId: 123456,
      repositoryId: 456789,
    });
    expect(plan((raw) => (raw.github.environment = 'production')).github.operationsEnvironment).toBe(`production${OPERATIONS_ENVIRONMENT_SUFFIX}`);
  });

  it('trusts the name-based subject only where the config says the repository still uses it', () => {
    const legacy = plan((raw) => {
      raw.github.legacySubject = true;
      delete raw.github.ownerId;
      delete raw.github.repositoryId;
    }).github;
    expect(legacy.subjectClaimKeys).toEqual(['repo', 'context', 'ref', 'job_workflow_ref']);
    expect(legacy.deployRole.subjects[0]).toBe('repo:example-org/harbor-platform:environment:dev:ref:refs/heads/main:job_workflow_ref:example-org/harbor-platform/.github/workflows/deploy.yml@refs/heads/main');
    expect(plan().github.deployRole.subjects.every((s) => s.startsWith('repo:example-org@123456/harbor-platform@456789:'))).toBe(true);
  });

  it('passes an existing OIDC provider through to the plan', () => {
    const arn = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    expect(plan((raw) => (raw.github.oidcProviderArn = arn)).github.oidcProviderArn).toBe(arn);
    expect(plan().github).not.toHaveProperty('oidcProviderArn');
  });

  it('lists the GitHub environments and roles in the Markdown plan', () => {
    const md = planMarkdown(plan(() => {}, 'prod'));
    expect(md).toContain('| prod | deploy, restore | arn:aws:iam::222222222222:role/harbor-platform-prod-github-deploy |');
    expect(md).toContain('| prod-operations | drift, restore drill | arn:aws:iam::222222222222:role/harbor-platform-prod-github-operations |');
  });

  it('lists plan.names in plan.md: stacks, cluster, namespaces, every export and the cluster access of each role', () => {
    const p = plan((raw) => {
      raw.harbor.namespace = 'registry';
      for (const schedule of raw.velero.schedules) schedule.includedNamespaces = schedule.includedNamespaces.map((n: string) => (n === 'harbor' ? 'registry' : n));
    }, 'prod');
    const md = planMarkdown(p);
    const section = md.split('## Names\n')[1]!.split('\n## ')[0]!;
    expect(section).toContain('| CloudFormation stacks (platform, GitHub roles) | `harbor-platform-prod`, `harbor-platform-prod-github` |');
    expect(section).toContain('`registry`');
    expect(section).toContain('`registry-drill`');
    for (const name of [...Object.values(p.names.exports.platform), ...Object.values(p.names.exports.github)]) expect(section).toContain(`\`${name}\``);
    expect(section).toContain('`harbor-platform-prod-database-endpoint`');
    expect(section).toContain(`| cluster access: restore | role \`${p.names.roles.githubDeploy}\` in group \`harbor-platform:restore\`, RBAC \`harbor-platform-restore\` |`);
  });

  it('says when a pool reads after an AZ loss only at exact quorum (prod: 12 drives, 4 per AZ, read quorum 8)', () => {
    const p = plan(() => {}, 'prod');
    const md = planMarkdown(p);
    expect(md).toMatch(/^\| 0 \| .* \| EC:4 \| 8 \| 8 \| 4\/4\/4 \| yes, at exact quorum \(no drive to spare\) \| yes \| .*\|$/m);
    expect(planPhrases.zoneLoss(p)).toBe('with one AZ lost: read yes, at exact quorum (no drive to spare); write yes');
    // dev keeps one drive to spare (6 drives, 2 per AZ, read quorum 3): plain yes.
    expect(planPhrases.zoneLoss(plan())).toBe('with one AZ lost: read yes; write yes');
  });

  it('carries the warnings and renders them in Markdown', () => {
    const p = plan();
    expect(p.warnings.map((w) => w.path)).toEqual(['harbor.database', 'harbor.redis']);
    const md = planMarkdown(p);
    expect(md).toContain('| 0 | 3 | 6 | 6 | 1 | EC:3 | 3 | 4 | 2/2/2 | yes | yes | 300 GiB | 150 GiB |');
    expect(md).toContain('## Warnings');
  });
});
