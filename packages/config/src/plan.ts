import { planAvailability, type AvailabilityPlan } from './availability.js';
import { backupRpo, type BackupRpo } from './backup-rpo.js';
import { inClusterEndpoint, MINIO_API_PORT } from './endpoints.js';
import type { PoolErasurePlan } from './erasure.js';
import { planGithub, type GithubPlan } from './github.js';
import { harborGcSchedule, type HarborGcSchedule } from './harbor-gc.js';
import { imageReference, planImages, type ImagesPlan } from './images.js';
import { driveSizeGiB, minioRelease, SECURITY_FIX_RELEASE } from './minio-image.js';
import { planMinioPools } from './minio-pools.js';
import { planNames, type PlanNames } from './names.js';
import type { Warning } from './problems.js';
import { registryStorage, type RegistryStorageSettings } from './registry.js';
import type { EnvironmentConfig } from './schema/environment.js';
import { stateTiers, type StateTier } from './state-tiers.js';

/** Bumped when a field of the plan document changes meaning or disappears. */
export const PLAN_FORMAT_VERSION = 1;

export interface NodeGroupPlan {
  readonly name: string;
  readonly availabilityZone: string;
  readonly instanceTypes: string[];
  readonly capacityType: 'ON_DEMAND' | 'SPOT';
  readonly min: number;
  readonly desired: number;
  /** The Auto Scaling group's maximum: `desired`, since no autoscaler runs. */
  readonly max: number;
  readonly diskSizeGiB: number;
}

/** One MinIO StatefulSet: the servers of one pool in one AZ. */
export interface MinioStatefulSetPlan {
  readonly name: string;
  readonly pool: number;
  readonly zoneIndex: number;
  readonly availabilityZone: string;
  readonly replicas: number;
  readonly drivesPerServer: number;
  readonly driveSize: string;
}

export interface MinioPoolPlan extends PoolErasurePlan {
  readonly index: number;
  readonly serversPerAz: number;
  readonly servers: number;
  readonly drivesPerServer: number;
  readonly driveSizeGiB: number;
  /** The pool's argument to `minio server`, in MinIO's `{a...b}` expansion. */
  readonly serverArgument: string;
}

export interface EnvironmentPlan {
  readonly formatVersion: number;
  readonly environment: string;
  /** Every derived name (stacks, cluster, roles, GitHub environments, namespaces, releases, outputs): nothing else derives one. */
  readonly names: PlanNames;
  readonly stage: 'dev' | 'prod';
  readonly aws: { account: string; region: string; availabilityZones: string[] };
  readonly network: { vpcCidr: string; natGateways: number };
  readonly nodeGroups: NodeGroupPlan[];
  readonly minio: {
    /** The server image: external, or `<repositoryUri>@<deploy-time: SSM <digestParameter>>` when built (images.minio). */
    image: string;
    /** Its RELEASE tag: SECURITY_FIX_RELEASE when the platform builds it. */
    release?: string;
    namespace: string;
    serviceName: string;
    headlessServiceName: string;
    /** The S3 API URL the registry, provisioning and backups use. */
    endpoint: string;
    /** True when `endpoint` is `minio.externalEndpoint`, a store outside the platform's MinIO. */
    external: boolean;
    bucket: string;
    tolerateZoneLoss: 'none' | 'read' | 'readWrite';
    /** StorageClass of every drive (the volume claim templates'). */
    storageClass: string;
    /** `minio.statefulSetRevision`: raised when the StatefulSets were recreated to take a new drive size. */
    statefulSetRevision: number;
    /** The one standard parity of every pool (MINIO_STORAGE_CLASS_STANDARD): `minio.parity`, or else the default of the first pool's set size. */
    parity: number;
    statefulSets: MinioStatefulSetPlan[];
    pools: MinioPoolPlan[];
    totals: { servers: number; drives: number; rawCapacityGiB: number; usableCapacityGiB: number };
  };
  readonly registryStorage: RegistryStorageSettings;
  readonly harbor: {
    url: string;
    hostname: string;
    /** The Route 53 zone (`dns.hostedZoneId`) where ExternalDNS writes `hostname`'s record. */
    hostedZoneId: string;
    chartVersion: string;
    namespace: string;
    database: 'internal' | 'external';
    redis: 'internal' | 'external';
    trivy: boolean;
    /** Replicas of each stateless tier (core, portal, registry, jobservice): `harbor.replicas`. */
    replicas: number;
    /** The garbage-collection schedule Harbor's API must hold; none when the config sets none. */
    gc?: HarborGcSchedule;
  };
  /** Where the platform's state lives (erasure-coded, Multi-AZ or zonal) and what losing its AZ means. */
  readonly stateTiers: StateTier[];
  /** What keeps serving (pull, push, UI/API, LDAP login, backups) when each AZ is lost and during a rolling upgrade, and why. */
  readonly availability: AvailabilityPlan;
  readonly backups: {
    velero: { bucket: string; schedules: { name: string; cron: string; ttl: string; includedNamespaces: string[]; snapshotVolumes: boolean }[] };
    registryData: { cron: string; bucket: string; prefix: string; retention: number };
    /** Worst-case RPO of a restore (Velero backup and registry-data copy as a pair). */
    rpo: BackupRpo;
    /** S3 Object Lock of the backup bucket, when configured. */
    objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number };
    /** Replication of the backup bucket to another account or region, when configured. */
    copy?: { bucket: string; region: string; account: string; kmsKeyArn: string };
  };
  readonly drill: {
    cron: string;
    /** Harbor's drill namespace, then MinIO's: each its source plus `velero.drill.namespaceSuffix`. */
    namespaces: string[];
    rtoTargetMinutes: number;
    timeoutMinutes: number;
    /** The ConfigMap (in Velero's namespace) with the drill's restore resource modifiers. */
    modifiersConfigMap: string;
    /** The AZ-loss step after the verify: on or off, and which AZ (a name of aws.availabilityZones, or `rotate`). */
    zoneLoss: { enabled: boolean; zone: string };
  };
  /** Whether the platform builds the MinIO and ops images (and where it pushes them), and the pull-through caches. */
  readonly images: ImagesPlan;
  /** GitHub environments and the roles their jobs assume. */
  readonly github: GithubPlan;
  readonly warnings: Warning[];
}

/** MinIO's `{0...n-1}`; a single value is written plainly (MinIO refuses an empty range). */
function ellipsis(count: number): string {
  return count === 1 ? '0' : `{0...${count - 1}}`;
}

/** Everything derived from one validated environment, computed once. */
export function planEnvironment(c: EnvironmentConfig, warnings: Warning[] = []): EnvironmentPlan {
  const azs = c.aws.availabilityZones;
  const m = c.minio;
  const headless = `${m.serviceName}-hl`;
  const names = planNames(c);
  const images = planImages(c, names);
  // A validated minio.endpoint names the same Service in one of its DNS forms; the plan writes the full one.
  const endpoint = m.externalEndpoint ?? inClusterEndpoint(m.serviceName, m.namespace);

  const erasure = planMinioPools(c);
  const pools = m.pools.map((pool, index): MinioPoolPlan => {
    return {
      index,
      serversPerAz: pool.serversPerAz,
      servers: pool.serversPerAz * azs.length,
      drivesPerServer: pool.drivesPerServer,
      driveSizeGiB: driveSizeGiB(pool.driveSize),
      serverArgument:
        `http://${m.serviceName}-p${index}-z${ellipsis(azs.length)}-${ellipsis(pool.serversPerAz)}` +
        `.${headless}.${m.namespace}.svc.cluster.local:${MINIO_API_PORT}/data${ellipsis(pool.drivesPerServer)}`,
      ...erasure.pools[index]!,
    };
  });
  const statefulSets = m.pools.flatMap((pool, p) =>
    azs.map((az, z) => ({
      name: `${m.serviceName}-p${p}-z${z}`,
      pool: p,
      zoneIndex: z,
      availabilityZone: az,
      replicas: pool.serversPerAz,
      drivesPerServer: pool.drivesPerServer,
      driveSize: pool.driveSize,
    })),
  );
  const sum = (f: (p: MinioPoolPlan) => number) => pools.reduce((n, p) => n + f(p), 0);

  return {
    formatVersion: PLAN_FORMAT_VERSION,
    environment: c.name,
    names,
    stage: c.stage,
    aws: { account: c.aws.account, region: c.aws.region, availabilityZones: [...azs] },
    network: { vpcCidr: c.network.vpcCidr, natGateways: c.network.natGateways === 'perAz' ? azs.length : 1 },
    nodeGroups: azs.map((az) => ({
      name: `${c.name}-${az}`,
      availabilityZone: az,
      instanceTypes: [...c.cluster.nodeGroups.instanceTypes],
      capacityType: c.cluster.nodeGroups.capacityType,
      min: c.cluster.nodeGroups.minPerAz,
      desired: c.cluster.nodeGroups.desiredPerAz,
      // No autoscaler runs: the group never grows past what it is told to run.
      max: c.cluster.nodeGroups.desiredPerAz,
      diskSizeGiB: c.cluster.nodeGroups.diskSizeGiB,
    })),
    minio: {
      image: imageReference(images.minio),
      release: m.image === undefined ? SECURITY_FIX_RELEASE : minioRelease(m.image)?.tag,
      namespace: m.namespace,
      serviceName: m.serviceName,
      headlessServiceName: headless,
      endpoint,
      external: m.externalEndpoint !== undefined,
      bucket: m.bucket,
      tolerateZoneLoss: m.tolerateZoneLoss,
      storageClass: m.storageClass,
      statefulSetRevision: m.statefulSetRevision,
      parity: erasure.parity,
      statefulSets,
      pools,
      totals: {
        servers: sum((p) => p.servers),
        drives: sum((p) => p.drives),
        rawCapacityGiB: sum((p) => p.rawCapacityGiB),
        usableCapacityGiB: sum((p) => p.usableCapacityGiB),
      },
    },
    registryStorage: registryStorage({ endpoint, bucket: m.bucket, region: c.aws.region }),
    harbor: {
      url: c.harbor.externalUrl,
      hostname: c.dns.harborHostname,
      hostedZoneId: c.dns.hostedZoneId,
      chartVersion: c.harbor.chartVersion,
      namespace: c.harbor.namespace,
      database: c.harbor.database.type,
      redis: c.harbor.redis.type,
      trivy: c.harbor.trivy.enabled,
      replicas: c.harbor.replicas,
      ...(c.harbor.gc && { gc: harborGcSchedule(c) }),
    },
    stateTiers: stateTiers(c),
    availability: planAvailability(c, erasure.pools),
    backups: {
      velero: {
        bucket: c.velero.backupBucket,
        schedules: c.velero.schedules.map((s) => ({
          name: s.name,
          cron: s.cron,
          ttl: s.ttl,
          includedNamespaces: [...s.includedNamespaces],
          snapshotVolumes: s.snapshotVolumes,
        })),
      },
      registryData: {
        cron: c.registryBackup.cron,
        bucket: c.registryBackup.bucket,
        prefix: c.registryBackup.prefix,
        retention: c.registryBackup.retention,
      },
      rpo: backupRpo(c),
      ...(c.velero.objectLock && { objectLock: { ...c.velero.objectLock } }),
      ...(c.velero.backupCopy && { copy: { ...c.velero.backupCopy, account: c.velero.backupCopy.account ?? c.aws.account } }),
    },
    drill: {
      cron: c.velero.drill.cron,
      namespaces: [names.namespaces.drill.harbor, names.namespaces.drill.minio],
      rtoTargetMinutes: c.velero.drill.rtoTargetMinutes,
      timeoutMinutes: c.velero.drill.timeoutMinutes,
      modifiersConfigMap: names.drillModifiersConfigMap,
      zoneLoss: { ...c.velero.drill.zoneLoss },
    },
    images,
    github: planGithub(c, names),
    warnings,
  };
}
