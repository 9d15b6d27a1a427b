import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig, EnvironmentPlan } from '@harbor-platform/config';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import type { CustomResourceType, Forward, JobState, KubeApi, NamespacedObject, PodState, VolumeInfo, WorkloadState } from '../../src/kube/api.js';
import type { Clock } from '../../src/velero/wait.js';

export const REPO = join(import.meta.dirname, '../../../..');
export const FIXTURES = join(import.meta.dirname, '../fixtures');

/** A committed environment's config, through the shared test kit. */
export function loadConfig(env: string): EnvironmentConfig {
  return plannedEnvironment(env).config;
}

/** A committed environment's plan, through the shared test kit. */
export function loadPlan(env: string): EnvironmentPlan {
  return plannedEnvironment(env).plan;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture<T = any>(...path: string[]): T {
  return JSON.parse(readFileSync(join(FIXTURES, ...path), 'utf8')) as T;
}

/** Time that passes only when someone sleeps; records every sleep. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public t = Date.parse('2026-11-25T18:00:00Z')) {}
  now() {
    return this.t;
  }
  async sleep(ms: number) {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

/**
 * An in-memory cluster. Restores follow a recorded script of states (one per read,
 * the last one repeating); namespaces appear when a restore is created and vanish
 * `namespaceGraceReads` reads after their deletion.
 */
export class FakeKube implements KubeApi {
  readonly custom = new Map<string, unknown>();
  readonly configMaps = new Map<string, { metadata: { name: string; namespace: string }; data: Record<string, string> }>();
  readonly namespaces = new Set<string>();
  readonly volumes: (VolumeInfo & { deleted?: boolean })[] = [];
  readonly calls: string[] = [];
  readonly forwards: { ns: string; svc: string; open: boolean }[] = [];
  private readonly deleting = new Map<string, number>();
  /** Per-read restore states (objects with a `status`). */
  restoreScript: { status?: object }[] = [];
  /** Reads a namespace survives after deletion; Infinity = stuck on a finalizer. */
  namespaceGraceReads = 1;
  /** Per-read states of Backups this tool creates (safety backups). */
  backupScript: { status?: object }[] = [];
  secrets: Record<string, Record<string, string>> = {};
  private restoreReads = 0;
  private backupReads = 0;
  private readonly created = new Set<string>();

  private key(t: CustomResourceType, ns: string, name: string) {
    return `${t.plural}/${ns}/${name}`;
  }

  async getCustom<T>(t: CustomResourceType, ns: string, name: string): Promise<T | undefined> {
    const obj = this.custom.get(this.key(t, ns, name)) as T | undefined;
    if (obj && t.plural === 'backups' && this.created.has(this.key(t, ns, name))) {
      const state = this.backupScript[Math.min(this.backupReads++, this.backupScript.length - 1)] ?? {};
      return { ...obj, ...state } as T;
    }
    if (!obj || t.plural !== 'restores') return obj;
    const state = this.restoreScript[Math.min(this.restoreReads++, this.restoreScript.length - 1)] ?? {};
    return { ...obj, ...state } as T;
  }

  async listCustom<T>(t: CustomResourceType, ns: string): Promise<T[]> {
    return [...this.custom.entries()].filter(([k]) => k.startsWith(`${t.plural}/${ns}/`)).map(([, v]) => v as T);
  }

  async createCustom<T>(t: CustomResourceType, ns: string, body: T): Promise<T> {
    const name = (body as { metadata: { name: string } }).metadata.name;
    this.calls.push(`create ${t.plural}/${name}`);
    if (this.custom.has(this.key(t, ns, name))) throw Object.assign(new Error('already exists'), { code: 409 });
    this.custom.set(this.key(t, ns, name), body);
    this.created.add(this.key(t, ns, name));
    if (t.plural === 'restores') {
      // Velero creates the mapped namespaces as it restores.
      const mapping = (body as { spec: { namespaceMapping?: Record<string, string> } }).spec.namespaceMapping ?? {};
      for (const target of Object.values(mapping)) this.namespaces.add(target);
    }
    return body;
  }

  async deleteCustom(t: CustomResourceType, ns: string, name: string) {
    this.custom.delete(this.key(t, ns, name));
  }

  async applyConfigMap(body: { metadata: { name: string; namespace: string }; data: Record<string, string> }) {
    this.calls.push(`apply configmap ${body.metadata.namespace}/${body.metadata.name}`);
    this.configMaps.set(`${body.metadata.namespace}/${body.metadata.name}`, body);
  }

  async deleteConfigMap(ns: string, name: string) {
    this.calls.push(`delete configmap ${ns}/${name}`);
    this.configMaps.delete(`${ns}/${name}`);
  }

  async readSecret(ns: string, name: string) {
    return this.secrets[`${ns}/${name}`];
  }

  async namespaceExists(name: string) {
    if (!this.namespaces.has(name)) return false;
    const left = this.deleting.get(name);
    if (left === undefined) return true;
    if (left <= 0) {
      this.namespaces.delete(name);
      this.deleting.delete(name);
      // Claims go with the namespace; their dynamically provisioned volumes with them.
      for (const v of this.volumes) if (v.claimNamespace === name && v.reclaimPolicy === 'Delete') v.deleted = true;
      return false;
    }
    this.deleting.set(name, left - 1);
    return true;
  }

  async deleteNamespace(name: string) {
    this.calls.push(`delete namespace ${name}`);
    if (this.namespaces.has(name) && !this.deleting.has(name)) this.deleting.set(name, this.namespaceGraceReads);
  }

  async listVolumes(): Promise<VolumeInfo[]> {
    return this.volumes.filter((v) => !v.deleted).map(({ deleted: _d, ...v }) => v);
  }

  async deleteVolume(name: string) {
    this.calls.push(`delete pv ${name}`);
    for (const v of this.volumes) if (v.name === name) v.deleted = true;
  }

  async setReclaimDelete(name: string) {
    this.calls.push(`reclaim-delete pv ${name}`);
    const i = this.volumes.findIndex((v) => v.name === name);
    if (i >= 0) this.volumes[i] = { ...this.volumes[i]!, reclaimPolicy: 'Delete' };
  }

  // No workloads, Jobs or other objects: FakeCluster (fake-cluster.ts) brings them up on a clock.
  async listWorkloads(_namespace: string): Promise<WorkloadState[]> {
    return [];
  }

  async listJobs(_namespace: string, _labelSelector: string): Promise<JobState[]> {
    return [];
  }

  async createObject(body: NamespacedObject): Promise<void> {
    throw new Error(`FakeKube keeps no objects (${body.kind} ${body.metadata.name}): use FakeCluster`);
  }

  async listObjects<T>(_apiVersion: string, _kind: string, _namespace: string): Promise<T[]> {
    return [];
  }

  async scaleStatefulSet(namespace: string, name: string, _replicas: number): Promise<void> {
    throw new Error(`FakeKube keeps no StatefulSets (${namespace}/${name}): use FakeCluster`);
  }

  async statefulSetPods(_namespace: string, _name: string): Promise<PodState[]> {
    return [];
  }

  async forwardService(ns: string, svc: string): Promise<Forward> {
    const f = { ns, svc, open: true };
    this.forwards.push(f);
    return { url: 'http://127.0.0.1:1', close: async () => void (f.open = false) };
  }
}
