import { planServerPools, symmetricPoolDrives, type ServerPoolsPlan } from './erasure.js';
import { driveSizeGiB } from './minio-image.js';
import type { EnvironmentConfig } from './schema/environment.js';

/**
 * The erasure plan of the environment's MinIO: every pool of `minio.pools` laid out
 * across the AZs as the manifests deploy it, under the one standard parity MinIO
 * applies to all of them. The rules and the plan both read it, so validation and
 * deployment cannot disagree.
 * @throws ErasureLayoutError when MinIO would refuse the layout
 */
export function planMinioPools(c: EnvironmentConfig): ServerPoolsPlan {
  const zoneCount = c.aws.availabilityZones.length;
  return planServerPools(
    c.minio.pools.map((pool) => ({
      drives: symmetricPoolDrives(zoneCount, pool.serversPerAz, pool.drivesPerServer),
      zoneCount,
      driveSizeGiB: driveSizeGiB(pool.driveSize),
    })),
    { setDriveCount: c.minio.setDriveCount, parity: c.minio.parity },
  );
}
