import { describe, expect, it } from 'vitest';
import { loadWith, problemsWith } from './util.js';
import { azCapacity, instanceSize, nodeAllocatable, podsNeedingOwnNodePerAz, type EnvironmentConfig } from '../src/index.js';

const config = (mutate: (raw: any) => void, name: 'dev' | 'prod' = 'dev'): EnvironmentConfig => {
  const r = loadWith(mutate, name);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.config;
};

describe('node sizes', () => {
  it('sizes m, c and r instances of generation 5 and later by EC2 naming, and no others', () => {
    expect(instanceSize('m6i.large')).toEqual({ vcpus: 2, memoryMiB: 8 * 1024 });
    expect(instanceSize('m6a.2xlarge')).toEqual({ vcpus: 8, memoryMiB: 32 * 1024 });
    expect(instanceSize('c7g.4xlarge')).toEqual({ vcpus: 16, memoryMiB: 32 * 1024 });
    expect(instanceSize('r6i.xlarge')).toEqual({ vcpus: 4, memoryMiB: 32 * 1024 });
    expect(instanceSize('m6g.medium')).toEqual({ vcpus: 1, memoryMiB: 4 * 1024 });
    for (const unknown of ['t3.large', 'm7i-flex.large', 'm4.large', 'm6i.metal', 'x2idn.16xlarge']) expect(instanceSize(unknown)).toBeUndefined();
  });

  it("takes the EKS AMI's reservations off what a node offers pods", () => {
    // 2 cores: 60m + 10m; memory 255 MiB + 11 MiB x 110 pods + 100 MiB eviction.
    expect(nodeAllocatable('m6i.large')).toEqual({ instanceType: 'm6i.large', cpuMilli: 1930, memoryMiB: 8192 - 1565 });
    // 8 cores: 60 + 10 + 2 x 5 + 4 x 2.5 = 90m.
    expect(nodeAllocatable('m6i.2xlarge')).toMatchObject({ cpuMilli: 7910, memoryMiB: 32768 - 1565 });
  });
});

describe('what must run in each AZ', () => {
  it("counts the live MinIO servers of every pool and the drill's copy in its own namespace", () => {
    const claims = podsNeedingOwnNodePerAz(config((e) => {
      e.minio.pools.push({ serversPerAz: 1, drivesPerServer: 2, driveSize: '50Gi' });
      e.cluster.nodeGroups.minPerAz = 2;
      e.cluster.nodeGroups.desiredPerAz = 2;
    }));
    expect(claims.map((x) => [x.workload, x.perAz, x.namespace])).toEqual([
      ['MinIO servers', 2, 'minio'],
      ['drill MinIO servers', 2, 'minio-drill'],
    ]);
    expect(claims[0]!.requests).toEqual({ cpuMilli: 500, memoryMiB: 1024 });
  });

  it('has no drill copy with an external store (the drill refuses one)', () => {
    expect(podsNeedingOwnNodePerAz(config((e) => (e.minio.externalEndpoint = 'https://s3.example.com:9443'))).map((x) => x.workload)).toEqual(['MinIO servers']);
  });

  it('dev: a live and a drill server share an m6i.large, so one node per AZ holds them; Harbor adds one replica of each tier', () => {
    expect(azCapacity(config(() => {}))).toMatchObject({ claimsPerNode: 2, nodesNeeded: 1, harborPodsPerAz: 4 });
  });

  it('prod: an m6i.2xlarge holds a live and a drill server (2 CPU, 8Gi each); two per AZ hold both pairs', () => {
    expect(azCapacity(config(() => {}, 'prod'))).toMatchObject({ node: { instanceType: 'm6i.2xlarge/m6a.2xlarge' }, claimsPerNode: 2, nodesNeeded: 2 });
  });
});

describe('validate refuses a node group that cannot hold them', () => {
  it('two servers per AZ on one node: the live servers alone need two', () => {
    expect(problemsWith((e) => (e.minio.pools[0].serversPerAz = 2))).toEqual([
      'cluster.nodeGroups.minPerAz: 1 node per AZ cannot hold 2 MinIO servers and 2 drill MinIO servers, each on a node of its own (required pod anti-affinity per node across all pools), even with a live and a drill server sharing each node, so 1 more node per AZ is needed, and without it servers stay Pending (no autoscaler adds nodes): raise minPerAz and desiredPerAz to at least 2',
    ]);
  });

  it("prod on xlarge nodes: the drill's servers find no room beside the live ones", () => {
    expect(problemsWith((e) => (e.cluster.nodeGroups.instanceTypes = ['m6i.xlarge', 'm6a.xlarge']), 'prod')).toEqual([
      'cluster.nodeGroups.minPerAz: 2 nodes per AZ cannot hold 2 MinIO servers and 2 drill MinIO servers, each on a node of its own (required pod anti-affinity per node across all pools); an m6i.xlarge/m6a.xlarge node (3920m CPU and 14819 MiB for pods) cannot hold a live and a drill server (2000m CPU and 8192 MiB each) together, so 2 more nodes per AZ are needed, and without them servers stay Pending (no autoscaler adds nodes): raise minPerAz and desiredPerAz to at least 4, or use instance types that hold a live and a drill server together',
    ]);
    expect(problemsWith((e) => {
      e.cluster.nodeGroups.instanceTypes = ['m6i.xlarge', 'm6a.xlarge'];
      e.cluster.nodeGroups.minPerAz = 4;
      e.cluster.nodeGroups.desiredPerAz = 4;
    }, 'prod')).toEqual([]);
  });

  it('an instance type of unknown size: one MinIO server per node is assumed', () => {
    expect(problemsWith((e) => (e.cluster.nodeGroups.instanceTypes = ['t3.large']))).toEqual([
      expect.stringMatching(/^cluster\.nodeGroups\.minPerAz: 1 node per AZ cannot hold .*; the size of t3\.large is not known, so a live and a drill server are not put on one node, so 1 more node per AZ is needed, and without it servers stay Pending .*: raise minPerAz and desiredPerAz to at least 2, or use instance types that hold a live and a drill server together$/),
    ]);
  });

  it('says "a" or "an" as the instance type is read aloud', () => {
    expect(problemsWith((e) => {
      e.cluster.nodeGroups.instanceTypes = ['c6i.large'];
      e.minio.resources = { requests: { cpu: '1', memory: '7Gi' }, limits: { memory: '8Gi' } };
    })).toEqual([
      expect.stringMatching(/more than a c6i\.large node offers to pods/),
    ]);
  });

  it('a server that fits no node', () => {
    expect(problemsWith((e) => (e.minio.resources = { requests: { cpu: '1', memory: '7Gi' }, limits: { memory: '8Gi' } }))).toEqual([
      'minio.resources.requests: one MinIO server requests 1000m CPU and 7168 MiB, more than an m6i.large node offers to pods (1930m CPU and 6627 MiB), so it never schedules: choose larger cluster.nodeGroups.instanceTypes or lower the requests',
    ]);
  });
});
