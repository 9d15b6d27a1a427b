import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { externalDnsSettings, externalDnsValues, harborValues, veleroValues, type EnvironmentConfig, type EnvironmentPlan } from '@harbor-platform/config';
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
 * `<dist>/<plan.names.outputs.manifests>/*.yaml` (every cdk8s chart, one file each, in apply
 * order) and `<dist>/<plan.names.outputs.values>/{harbor,velero,external-dns}.yaml`: the same
 * objects and values the CDK app applies, for review and `kubectl diff`. Returns the manifest
 * files' names, in apply order.
 */
export function writeManifests(dist: string, { config, plan }: { readonly config: EnvironmentConfig; readonly plan: EnvironmentPlan }): string[] {
  const manifests = join(dist, plan.names.outputs.manifests);
  // Charts renamed or removed must not leave stale files behind.
  rmSync(manifests, { recursive: true, force: true });
  const { app } = buildManifests(config, { plan, outdir: manifests });
  app.synth();

  const values = join(dist, plan.names.outputs.values);
  mkdirSync(values, { recursive: true });
  const endpoints = {
    ...(plan.harbor.database === 'external' ? { databaseHost: DEPLOY_TIME.databaseHost } : {}),
    ...(plan.harbor.redis === 'external' ? { redisAddress: DEPLOY_TIME.redisAddress } : {}),
  };
  writeFileSync(join(values, 'harbor.yaml'), toYaml(harborValues(config, plan, endpoints)));
  writeFileSync(join(values, 'velero.yaml'), toYaml(veleroValues(config)));
  // The stack names its cluster plan.names.cluster; the release reads the name from the cluster itself.
  writeFileSync(join(values, 'external-dns.yaml'), toYaml(externalDnsValues(externalDnsSettings(config, plan), { clusterName: plan.names.cluster })));
  return readdirSync(manifests).sort();
}
