import { MINIO_API_PORT, MINIO_CONSOLE_PORT, planEnvironment, planImageRefs } from '@harbor-platform/config';
import type { PlannedEnvironment } from '@harbor-platform/config/testing';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { endpointsByPool, expandEllipses, poolArguments } from './minio-layout.js';
import { environment, named, nodesPerAz, ofKind, prodTwoPools, threeServersPerAz } from './util.js';
import { MinioChart } from '../src/index.js';
import { maxUnavailableServers } from '../src/private/minio-disruption.js';

type Synthesized = PlannedEnvironment & { readonly objects: any[] };

/** MinioChart alone, on the plan's AZs and MinIO section and the config's MinIO settings (what buildManifests passes it). */
function synth({ config, plan }: PlannedEnvironment): Synthesized {
  const chart = new MinioChart(Testing.app(), 'minio', { plan: { aws: plan.aws, minio: plan.minio }, settings: config.minio, images: planImageRefs(plan) });
  return { config, plan, objects: chart.toJson() };
}

const dev = () => synth(environment('dev'));
const prod = () => synth(environment('prod'));

/** Per erasure set, how many drives sit in each AZ (by the config's AZ order), read from the manifests. */
function drivesPerZoneOfEachSet(s: Synthesized): number[][][] {
  const azs = s.config.aws.availabilityZones;
  return endpointsByPool(s.objects).map((endpoints, p) => {
    const n = s.plan.minio.pools[p]!.setDriveCount;
    const sets: number[][] = [];
    endpoints.forEach((e, i) => {
      const set = (sets[Math.floor(i / n)] ??= new Array<number>(azs.length).fill(0));
      set[azs.indexOf(e.zone)]!++;
    });
    return sets;
  });
}

describe('MinioChart layout', () => {
  it('expands MinIO ellipses with the leftmost pattern varying fastest', () => {
    expect(expandEllipses('h{0...1}-{0...2}/d')).toEqual(['h0-0/d', 'h1-0/d', 'h0-1/d', 'h1-1/d', 'h0-2/d', 'h1-2/d']);
  });

  for (const [name, make] of [['dev', dev], ['prod', prod], ['3 servers per AZ', () => synth(threeServersPerAz())]] as const) {
    it(`places every server in its planned AZ (${name})`, () => {
      const s = make();
      for (const planned of s.plan.minio.statefulSets) {
        const sts = named(s.objects, 'StatefulSet', planned.name);
        expect(sts.spec.replicas).toBe(planned.replicas);
        const zone = sts.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
        expect(zone).toEqual([{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [planned.availabilityZone] }] }]);
      }
      expect(ofKind(s.objects, 'StatefulSet').map((o) => o.metadata.name).sort()).toEqual(s.plan.minio.statefulSets.map((p) => p.name).sort());
    });

    it(`gives every erasure set the plan's drives per AZ (${name})`, () => {
      const s = make();
      expect(drivesPerZoneOfEachSet(s)).toEqual(s.plan.minio.pools.map((p) => p.sets.map((set) => set.drivesPerZone)));
      // And so an AZ loss keeps write quorum, as the config asks (readWrite in both environments).
      for (const [p, sets] of drivesPerZoneOfEachSet(s).entries()) {
        const pool = s.plan.minio.pools[p]!;
        for (const perZone of sets) expect(pool.setDriveCount - Math.max(...perZone)).toBeGreaterThanOrEqual(pool.writeQuorum);
      }
    });
  }

  it('lists every pool on the command line, with the headless Service in the host names', () => {
    const s = synth(prodTwoPools());
    const args = poolArguments(named(s.objects, 'StatefulSet', 'minio-p1-z2'));
    expect(args).toEqual([
      'http://minio-p0-z{0...2}-{0...1}.minio-hl.minio.svc.cluster.local:9000/data{0...1}',
      'http://minio-p1-z{0...2}-0.minio-hl.minio.svc.cluster.local:9000/data{0...3}',
    ]);
    expect(endpointsByPool(s.objects).map((e) => e.length)).toEqual([12, 12]);
    expect(named(s.objects, 'Service', 'minio-hl').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  it('changes StatefulSets, command line and plan together when the layout goes from 1 to 3 servers per AZ', () => {
    const before = dev();
    const after = synth(threeServersPerAz());
    expect(ofKind(before.objects, 'StatefulSet').map((o) => o.spec.replicas)).toEqual([1, 1, 1]);
    expect(ofKind(after.objects, 'StatefulSet').map((o) => o.spec.replicas)).toEqual([3, 3, 3]);
    expect(poolArguments(ofKind(before.objects, 'StatefulSet')[0])).toEqual(['http://minio-p0-z{0...2}-0.minio-hl.minio.svc.cluster.local:9000/data{0...1}']);
    expect(poolArguments(ofKind(after.objects, 'StatefulSet')[0])).toEqual(['http://minio-p0-z{0...2}-{0...2}.minio-hl.minio.svc.cluster.local:9000/data{0...1}']);
    expect(endpointsByPool(before.objects)[0]).toHaveLength(before.plan.minio.pools[0]!.drives);
    expect(endpointsByPool(after.objects)[0]).toHaveLength(after.plan.minio.pools[0]!.drives);
    expect(after.plan.minio.pools[0]).toMatchObject({ servers: 9, drives: 18, setDriveCount: 9, setCount: 2 });
    expect(drivesPerZoneOfEachSet(after)).toEqual([[[3, 3, 3], [3, 3, 3]]]);
    expect(named(after.objects, 'StatefulSet', 'minio-p0-z0').spec.template.spec.containers[0].env).toContainEqual({ name: 'MINIO_STORAGE_CLASS_STANDARD', value: `EC:${after.plan.minio.parity}` });
  });

  it('also does so for prod going from 2 to 3 servers per AZ', () => {
    const after = synth(environment('prod', (raw) => {
      raw.minio.pools[0].serversPerAz = 3;
      nodesPerAz(raw, 3);
    }));
    expect(ofKind(after.objects, 'StatefulSet').map((o) => o.spec.replicas)).toEqual([3, 3, 3]);
    expect(drivesPerZoneOfEachSet(after)).toEqual(after.plan.minio.pools.map((p) => p.sets.map((s) => s.drivesPerZone)));
    expect(after.plan).toEqual(planEnvironment(after.config, after.plan.warnings));
  });
});

describe('MinioChart servers', () => {
  it('sets parity from the plan, and the set size only when the config fixes it', () => {
    const env = named(dev().objects, 'StatefulSet', 'minio-p0-z0').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'MINIO_STORAGE_CLASS_STANDARD', value: 'EC:3' });
    expect(env.map((e: any) => e.name)).not.toContain('MINIO_ERASURE_SET_DRIVE_COUNT');
    const fixed = synth(environment('prod', (raw) => (raw.minio.setDriveCount = 6)));
    expect(named(fixed.objects, 'StatefulSet', 'minio-p0-z0').spec.template.spec.containers[0].env).toContainEqual({ name: 'MINIO_ERASURE_SET_DRIVE_COUNT', value: '6' });
    expect(fixed.plan.minio.pools[0]!.setDriveCount).toBe(6);
  });

  it('takes the root credentials from the synced Secret, never a value', () => {
    const env = named(dev().objects, 'StatefulSet', 'minio-p0-z0').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'MINIO_ROOT_USER')).toEqual({ name: 'MINIO_ROOT_USER', valueFrom: { secretKeyRef: { name: 'minio-root', key: 'MINIO_ROOT_USER' } } });
    expect(env.find((e: any) => e.name === 'MINIO_ROOT_PASSWORD')?.value).toBeUndefined();
  });

  it('probes the health endpoints, sets the configured resources and runs restricted', () => {
    const pod = named(prod().objects, 'StatefulSet', 'minio-p0-z1').spec.template.spec;
    const c = pod.containers[0];
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/minio/health/live', port: MINIO_API_PORT });
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/minio/health/ready', port: MINIO_API_PORT });
    expect(c.resources).toEqual({ requests: { cpu: '2', memory: '8Gi' }, limits: { memory: '16Gi' } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('puts the drives on the zonal class with the planned size, and keeps them out of Velero', () => {
    const s = prod();
    const claims = named(s.objects, 'StatefulSet', 'minio-p0-z0').spec.volumeClaimTemplates;
    expect(claims.map((t: any) => t.metadata.name)).toEqual(['data0', 'data1']);
    for (const t of claims) {
      expect(t.spec).toMatchObject({ storageClassName: 'gp3-zonal', resources: { requests: { storage: '500Gi' } } });
      expect(t.metadata.labels['velero.io/exclude-from-backup']).toBe('true');
    }
  });

  it('serves the S3 API and the console on separate ClusterIP Services', () => {
    const objects = dev().objects;
    expect(named(objects, 'Service', 'minio').spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'api', port: MINIO_API_PORT }] });
    expect(named(objects, 'Service', 'minio-console').spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'console', port: MINIO_CONSOLE_PORT }] });
    expect(named(objects, 'Service', 'minio').spec.ports).toHaveLength(1);
  });
});

/** Every way to choose `k` of `n` items. */
function combinations(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  return [...combinations(n - 1, k - 1).map((c) => [...c, n - 1]), ...combinations(n - 1, k)];
}

describe('MinIO PodDisruptionBudget', () => {
  for (const [name, make] of [['dev', dev], ['prod', prod], ['3 servers per AZ', () => synth(threeServersPerAz())]] as const) {
    it(`lets no choice of maxUnavailable servers break write quorum, and one more would (${name})`, () => {
      const s = make();
      const pool = s.plan.minio.pools[0]!;
      const pdb = named(s.objects, 'PodDisruptionBudget', 'minio-p0');
      const u: number = pdb.spec.maxUnavailable;
      expect(pdb.spec.selector.matchLabels).toMatchObject({ 'harbor-platform.io/minio-pool': '0' });
      // Drives of each set per server, read from the manifests' endpoints.
      const endpoints = endpointsByPool(s.objects)[0]!;
      const hosts = [...new Set(endpoints.map((e) => e.host))];
      const worstLeft = (down: number) =>
        Math.min(
          ...combinations(hosts.length, down).flatMap((gone) =>
            Array.from({ length: pool.setCount }, (_, set) =>
              endpoints.slice(set * pool.setDriveCount, (set + 1) * pool.setDriveCount).filter((e) => !gone.some((g) => hosts[g] === e.host)).length,
            ),
          ),
        );
      expect(u).toBeGreaterThanOrEqual(1);
      expect(worstLeft(u)).toBeGreaterThanOrEqual(pool.writeQuorum);
      if (u < hosts.length) expect(worstLeft(u + 1)).toBeLessThan(pool.writeQuorum);
    });
  }

  it('is 1 for dev (6 drives, EC:3, write quorum 4) and 2 for prod (12 drives, EC:4, write quorum 8)', () => {
    expect(named(dev().objects, 'PodDisruptionBudget', 'minio-p0').spec.maxUnavailable).toBe(1);
    expect(named(prod().objects, 'PodDisruptionBudget', 'minio-p0').spec.maxUnavailable).toBe(2);
  });

  it("budgets a second pool under the first pool's parity, which MINIO_STORAGE_CLASS_STANDARD carries to every server", () => {
    // Pool 1 (2 servers x 2 drives per AZ, one 12-drive set) would default to EC:4 alone
    // (write quorum 8: 2 servers may go); under pool 0's EC:3 its write quorum is 9, so only 1.
    const s = synth(environment('dev', (raw) => {
      raw.minio.pools.push({ serversPerAz: 2, drivesPerServer: 2, driveSize: '100Gi' });
      nodesPerAz(raw, 3);
      raw.minio.tolerateZoneLoss = 'none';
    }));
    expect(s.plan.minio.pools[1]).toMatchObject({ setDriveCount: 12, parity: 3, writeQuorum: 9 });
    expect(named(s.objects, 'PodDisruptionBudget', 'minio-p1').spec.maxUnavailable).toBe(1);
    for (const sts of ofKind(s.objects, 'StatefulSet').filter((o) => o.metadata.name.startsWith('minio-p'))) {
      const env = sts.spec.template.spec.containers[0].env as { name: string; value?: string }[];
      expect(env.find((e) => e.name === 'MINIO_STORAGE_CLASS_STANDARD')?.value).toBe('EC:3');
    }
  });

  it('is 0 when one server holds more of a set than it can lose', () => {
    // 1 server per AZ with 4 drives: 12 drives in one set, EC:4, write quorum 8; one server takes 4 (allowed).
    // With EC:2 the set can lose only 2 of 12 for writes, so no server may go.
    const { plan } = environment('dev', (raw) => {
      raw.minio.pools[0].drivesPerServer = 4;
      raw.minio.parity = 2;
      raw.minio.tolerateZoneLoss = 'none';
    });
    expect(maxUnavailableServers(plan.minio.pools[0]!, 3)).toBe(0);
  });
});
