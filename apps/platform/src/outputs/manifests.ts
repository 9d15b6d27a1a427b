import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { externalDnsValues, harborValues, planEnvironment, veleroValues, type EnvironmentConfig } from '@harbor-platform/config';
import { buildManifests, toYaml } from '@harbor-platform/manifests';

/**
 * Addresses the CDK app fills in at deploy time (RDS, ElastiCache). The written
 * values show where they go; the Helm release gets the real ones.
 */
const DEPLOY_TIME = {
  databaseHost: '<deploy-time: RDS endpoint address>',
  redisAddress: '<deploy-time: ElastiCache primary endpoint host:port>',
};

/**
 * dist/<env>/manifests/*.yaml (every cdk8s chart, one file each, in apply order)
 * and dist/<env>/values/{harbor,velero,external-dns}.yaml: the same objects and values the CDK
 * app applies, for review and `kubectl diff`.
 */
export function writeManifests(outdir: string, config: EnvironmentConfig): string[] {
  const plan = planEnvironment(config);
  const manifests = join(outdir, 'manifests');
  // Charts renamed or removed must not leave stale files behind.
  rmSync(manifests, { recursive: true, force: true });
  const { app } = buildManifests(config, { plan, outdir: manifests });
  app.synth();

  const values = join(outdir, 'values');
  mkdirSync(values, { recursive: true });
  const endpoints = {
    ...(config.harbor.database.type === 'external' ? { databaseHost: DEPLOY_TIME.databaseHost } : {}),
    ...(config.harbor.redis.type === 'external' ? { redisAddress: DEPLOY_TIME.redisAddress } : {}),
  };
  writeFileSync(join(values, 'harbor.yaml'), toYaml(harborValues(config, plan, endpoints)));
  writeFileSync(join(values, 'velero.yaml'), toYaml(veleroValues(config)));
  // The stack names its cluster plan.names.cluster; the release reads the name from the cluster itself.
  writeFileSync(join(values, 'external-dns.yaml'), toYaml(externalDnsValues(config, { clusterName: plan.names.cluster })));
  return readdirSync(manifests).sort();
}
