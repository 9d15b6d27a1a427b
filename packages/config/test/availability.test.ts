import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadWith, rawEnvironment } from './util.js';
import { environmentSchema, loadEnvironmentText, planAvailability, planEnvironment, planMarkdown, planMinioPools, type Capability, type EnvironmentConfig } from '../src/index.js';

function plan(mutate: (raw: any) => void = () => {}, name: 'dev' | 'prod' = 'dev') {
  const r = loadWith(mutate, name);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return planEnvironment(r.config, r.warnings);
}

/** Each scenario's verdicts, in the table's column order. */
const verdicts = (p: ReturnType<typeof plan>['availability']) =>
  Object.fromEntries(p.scenarios.map((s) => [s.name, (['pull', 'push', 'ui', 'ldapLogin', 'backups'] as Capability[]).map((k) => s.capabilities[k].verdict)]));

describe('availability table: dev (internal database and Redis, one NAT gateway)', () => {
  const p = plan();

  it('keeps MinIO and every Harbor tier through any AZ loss, but pull, push and the UI hang on the zonal database and Redis', () => {
    expect(verdicts(p.availability)).toEqual({
      'loss of ap-northeast-2a': ['atRisk', 'atRisk', 'atRisk', 'down', 'atRisk'],
      'loss of ap-northeast-2b': ['atRisk', 'atRisk', 'atRisk', 'atRisk', 'atRisk'],
      'loss of ap-northeast-2c': ['atRisk', 'atRisk', 'atRisk', 'atRisk', 'atRisk'],
      'rolling upgrade': ['interrupted', 'interrupted', 'interrupted', 'interrupted', 'interrupted'],
    });
    const lossA = p.availability.scenarios[0]!;
    expect(lossA.parts.minioRead).toEqual({ verdict: 'serving', because: '4 of 6 drives of each set left, read quorum 3' });
    expect(lossA.parts.minioWrite.verdict).toBe('serving');
    expect(lossA.parts.core).toEqual({ verdict: 'serving', because: 'at least 1 of 2 replicas left (at most 1 per AZ)' });
    expect(lossA.capabilities.pull.because).toMatch(/^database: zonal, internal PostgreSQL .*; Redis: zonal, internal Redis /);
  });

  it('loses LDAP login with the AZ of the only NAT gateway, and says how to keep it', () => {
    expect(p.availability.scenarios[0]!.parts.egress.because).toBe(
      'the one NAT gateway is in ap-northeast-2a: a directory outside the VPC is out of reach (network.natGateways: perAz keeps it)',
    );
    expect(p.availability.scenarios[1]!.parts.egress.verdict).toBe('serving');
  });

  it('renders the table and the reasons in plan.md', () => {
    const md = planMarkdown(p);
    expect(md).toContain('| scenario | pull | push | UI/API | LDAP login | backups |');
    expect(md).toContain('| loss of ap-northeast-2a | at risk | at risk | at risk | no | at risk |');
    expect(md).toContain('| rolling upgrade | brief outage | brief outage | brief outage | brief outage | brief outage |');
    expect(md).toContain('- core, portal, registry, jobservice: yes: at least 1 of 2 replicas left (at most 1 per AZ)');
    expect(md).toContain('| database | internal PostgreSQL (one pod, 10Gi EBS volume, class gp3-retain) | zonal (accepted) |');
  });
});

describe('availability table: prod (Multi-AZ database and Redis, NAT per AZ)', () => {
  const p = plan(() => {}, 'prod');

  it('rides out any AZ loss with a failover at most, and a rolling upgrade without a break except for a running backup', () => {
    expect(verdicts(p.availability)).toEqual({
      'loss of ap-northeast-2a': ['interrupted', 'interrupted', 'interrupted', 'interrupted', 'interrupted'],
      'loss of ap-northeast-2b': ['interrupted', 'interrupted', 'interrupted', 'interrupted', 'interrupted'],
      'loss of ap-northeast-2c': ['interrupted', 'interrupted', 'interrupted', 'interrupted', 'interrupted'],
      'rolling upgrade': ['serving', 'serving', 'serving', 'serving', 'interrupted'],
    });
    expect(p.availability.scenarios[0]!.parts.minioRead.because).toBe('8 of 12 drives of each set left, read quorum 8');
    expect(p.availability.scenarios[0]!.capabilities.push.because).toBe(
      'database: Multi-AZ: RDS fails over to the standby if the primary was there (a minute or two); Redis: Multi-AZ: ElastiCache promotes the replica if the primary was there (a minute or two)',
    );
  });

  it('counts Harbor replicas left per tier from harbor.replicas over three AZs', () => {
    expect(plan((e) => (e.harbor.replicas = 3), 'prod').availability.harborTiers.map((t) => [t.name, t.replicas, t.maxPerAz, t.leftAfterZoneLoss])).toEqual([
      ['core', 3, 1, 2],
      ['portal', 3, 1, 2],
      ['registry', 3, 1, 2],
      ['jobservice', 3, 1, 2],
    ]);
    expect(plan((e) => (e.harbor.replicas = 4), 'prod').availability.harborTiers[0]).toMatchObject({ maxPerAz: 2, leftAfterZoneLoss: 2 });
  });
});

describe('availability table: variants', () => {
  it('a layout that keeps only read quorum (goal "read"): pulls go on, pushes stop', () => {
    const p = plan((e) => {
      e.minio.pools[0].drivesPerServer = 4;
      e.minio.setDriveCount = 4;
      e.minio.tolerateZoneLoss = 'read';
    }, 'prod');
    const loss = p.availability.scenarios[0]!;
    expect([loss.capabilities.pull.verdict, loss.capabilities.push.verdict]).toEqual(['interrupted', 'down']);
    expect(loss.capabilities.push.because).toMatch(/^MinIO: 2 of 4 drives of each set left, not more than half: writes stop; database: Multi-AZ/);
  });

  it('the environment validate refuses (readWrite with internal database and Redis, nothing accepted): its table shows the gap the refusal names', () => {
    const raw = rawEnvironment('dev');
    delete raw.harbor.acceptZonalState;
    const refused = loadEnvironmentText(stringify(raw), 'dev');
    expect(refused.ok).toBe(false);
    expect(refused.problems.map((x) => x.path)).toEqual(['harbor.database', 'harbor.redis']);
    // The same file through the schema alone (no rules): what the platform would have delivered.
    const config: EnvironmentConfig = environmentSchema.parse(raw);
    const table = planAvailability(config, planMinioPools(config).pools);
    for (const s of table.scenarios.filter((x) => x.kind === 'zoneLoss')) {
      expect(s.parts.minioWrite.verdict).toBe('serving');
      expect(s.capabilities.push.verdict).toBe('atRisk');
    }
  });
});
