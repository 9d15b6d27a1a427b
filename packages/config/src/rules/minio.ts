import { checkExternalEndpoint, checkPlatformEndpoint } from '../endpoints.js';
import { ErasureLayoutError, toleranceShortfall, type PoolErasurePlan } from '../erasure.js';
import { minioRelease, SECURITY_FIX_RELEASE } from '../minio-image.js';
import { planMinioPools } from '../minio-pools.js';
import type { Problem, Warning } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';
import { DIGEST_PINNED_IMAGE } from '../validators.js';

/** An external `minio.image`: pinned by digest, and a release with the October 2025 fix. */
function checkExternalImage(image: string, problems: Problem[], warnings: Warning[]): void {
  if (!DIGEST_PINNED_IMAGE.test(image)) {
    problems.push({
      path: 'minio.image',
      message: `"${image}" is not pinned by digest (upstream stopped publishing images and removed minio/minio from Docker Hub, so a tag can vanish or change)`,
      fix: 'pin it as registry/repository:RELEASE.<date>@sha256:<64 hex> (a quay.io snapshot or a maintained fork), or leave minio.image out and the platform builds it',
    });
    return;
  }
  const release = minioRelease(image);
  if (!release) {
    warnings.push({ path: 'minio.image', message: `has no RELEASE.<date> tag, so the plan cannot tell whether it has the October 2025 security fix (GHSA-jjjj-jwhf-8rgr, ${SECURITY_FIX_RELEASE})` });
  } else if (release.date < release.fixDate) {
    warnings.push({
      path: 'minio.image',
      message: `release ${release.tag} predates the October 2025 security fix (GHSA-jjjj-jwhf-8rgr, fixed in ${SECURITY_FIX_RELEASE}); leave minio.image out (the platform builds the final source) or use a maintained fork`,
    });
  }
}

export function checkMinio(c: EnvironmentConfig, problems: Problem[], warnings: Warning[]): void {
  const m = c.minio;
  // Absent: the platform builds the final community source (images.ts), which has the fix.
  if (m.image !== undefined) checkExternalImage(m.image, problems, warnings);

  const platform = { serviceName: m.serviceName, namespace: m.namespace, clientNamespace: c.harbor.namespace };
  if (m.endpoint !== undefined) problems.push(...checkPlatformEndpoint('minio.endpoint', m.endpoint, platform));
  if (m.externalEndpoint !== undefined) {
    if (m.endpoint !== undefined) {
      problems.push({
        path: 'minio.externalEndpoint',
        message: 'is set together with minio.endpoint; the registry can use only one store',
        fix: "keep externalEndpoint for a store outside the platform, or endpoint for the platform's MinIO",
      });
    }
    const external = checkExternalEndpoint('minio.externalEndpoint', m.externalEndpoint, platform, c.stage);
    problems.push(...external.problems);
    warnings.push(...external.warnings);
  }

  let pools: PoolErasurePlan[] = [];
  try {
    pools = planMinioPools(c).pools;
  } catch (err) {
    if (!(err instanceof ErasureLayoutError)) throw err;
    const at = err.message.lastIndexOf(': ');
    const path = err.field === 'parity' ? 'minio.parity' : err.pool === undefined ? 'minio.pools' : `minio.pools[${err.pool}]`;
    problems.push({ path, message: err.message.slice(0, at), fix: err.message.slice(at + 2) });
  }
  pools.forEach((plan, i) => {
    const shortfall = toleranceShortfall(plan, m.tolerateZoneLoss);
    if (shortfall) {
      problems.push({
        path: 'minio.tolerateZoneLoss',
        message: `"${m.tolerateZoneLoss}" cannot be met by pool ${i}: ${shortfall}`,
        fix:
          plan.survivesZoneLossForRead
            ? `keep at most ${drives(Math.max(0, plan.tolerableDriveLossForNewWrites))} of a set per AZ, fewer than half of the set (more servers per AZ or fewer drives per server), or lower the goal to "read"`
            : `keep at most ${drives(plan.tolerableDriveLossForRead)} of a set per AZ, or raise the parity`,
      });
    }
  });
  if (c.stage === 'prod' && m.tolerateZoneLoss !== 'readWrite') {
    warnings.push({ path: 'minio.tolerateZoneLoss', message: `prod set to "${m.tolerateZoneLoss}": the registry stops accepting pushes when an AZ fails` });
  }
}

const drives = (n: number) => `${n} drive${n === 1 ? '' : 's'}`;
