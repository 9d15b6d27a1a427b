import { plannedEnvironment, type PlannedEnvironment } from '@harbor-platform/config/testing';
import { buildManifests, type PlatformCharts } from '../src/index.js';

/**
 * A committed environment (`environments/<name>.yaml`), optionally changed on its raw YAML,
 * validated and planned: `plannedEnvironment` of the shared test kit.
 */
export function environment(name: 'dev' | 'prod' = 'dev', mutate: (raw: any) => void = () => {}): PlannedEnvironment {
  return plannedEnvironment(name, mutate);
}

export interface Synthesized extends PlannedEnvironment {
  readonly charts: PlatformCharts;
  /** Every object of every chart, as written. */
  readonly objects: any[];
}

/** Every chart of an environment, from its plan (what `npm run synth` writes to dist/<env>/manifests). */
export function synth({ config, plan }: PlannedEnvironment): Synthesized {
  const { app, charts } = buildManifests(config, { plan });
  return { config, plan, charts, objects: app.charts.flatMap((c) => c.toJson()) };
}

export function ofKind(objects: any[], kind: string): any[] {
  return objects.filter((o) => o.kind === kind);
}

export function named(objects: any[], kind: string, name: string): any {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found;
}

/** The variants the schema tests cover: both environments and layouts the config allows. */
export function variants(): [string, PlannedEnvironment][] {
  return [
    ['dev', environment('dev')],
    ['prod', environment('prod')],
    ['dev, 3 servers per AZ', threeServersPerAz()],
    ['prod, two pools', prodTwoPools()],
    ['prod, LDAP through a private CA', environment('prod', (raw) => (raw.ldap.caBundleSecret = 'harbor-platform/prod/ldap-ca'))],
    ['dev, file-system backup and anonymous LDAP', environment('dev', (raw) => {
      raw.velero.fileSystemBackup = true;
      raw.ldap.anonymousSearch = true;
      delete raw.ldap.searchDn;
      delete raw.ldap.bindPasswordSecret;
    })],
  ];
}

/** Node groups with `n` nodes per AZ (minimum and desired): one MinIO server per node. */
export function nodesPerAz(raw: any, n: number): void {
  raw.cluster.nodeGroups = { ...raw.cluster.nodeGroups, minPerAz: n, desiredPerAz: n };
}

/** dev with 3 MinIO servers per AZ instead of 1 (and room for them: one server per node). */
export function threeServersPerAz(): PlannedEnvironment {
  return environment('dev', (raw) => {
    raw.minio.pools[0].serversPerAz = 3;
    nodesPerAz(raw, 3);
  });
}

/** prod with a second pool of one 4-drive server per AZ (and a node for it). */
export function prodTwoPools(): PlannedEnvironment {
  return environment('prod', (raw) => {
    raw.minio.pools.push({ serversPerAz: 1, drivesPerServer: 4, driveSize: '1Ti' });
    nodesPerAz(raw, 3);
  });
}
