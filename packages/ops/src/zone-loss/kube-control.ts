import type { EnvironmentPlan } from '@harbor-platform/config';
import { DrillError } from '../errors.js';
import type { ZoneControl } from './control.js';
import { drillNamespaceMapping } from '../drill/namespaces.js';
import type { KubeApi } from '../kube/api.js';
import { notReadyReason } from '../kube/readiness.js';
import type { Clock } from '../velero/wait.js';

export interface KubeZoneControlOptions {
  readonly clock: Clock;
  readonly progress?: (line: string) => void;
  /** Between two reads. @default 5_000 */
  readonly pollMs?: number;
  /** Scale to zero until every pod of the zone is gone (MinIO's pods have a 60 s grace period). @default 300_000 */
  readonly downTimeoutMs?: number;
  /** Scale back until every server of the zone is ready (volumes re-attach in the AZ). @default 600_000 */
  readonly upTimeoutMs?: number;
}

/**
 * ZoneControl of the restore drill: takes an AZ away by scaling the drill MinIO's
 * StatefulSets of that AZ (plan.minio.statefulSets with that zoneIndex) to zero, as when
 * the AZ's nodes fail, and brings it back by restoring the replicas it read before.
 *
 * It refuses, when constructed, any namespace that is not the drill's copy of MinIO's
 * (`<minio.namespace><velero.drill.namespaceSuffix>`): the live namespaces are never touched.
 * @see https://kubernetes.io/docs/tasks/run-application/scale-stateful-set/
 */
export class KubeZoneControl implements ZoneControl {
  /** StatefulSet name -> replicas before it was scaled to zero, until scaled back. */
  private readonly saved = new Map<string, number>();
  private readonly pollMs: number;

  constructor(
    private readonly kube: KubeApi,
    private readonly plan: EnvironmentPlan,
    readonly namespace: string,
    private readonly o: KubeZoneControlOptions,
  ) {
    const drillMinio = drillNamespaceMapping(plan)[plan.minio.namespace];
    const live = [plan.minio.namespace, plan.harbor.namespace];
    if (namespace !== drillMinio || live.includes(namespace) || !plan.drill.namespaces.includes(namespace)) {
      throw new DrillError(`zone loss: namespace "${namespace}" is not the drill's MinIO namespace of ${plan.environment} ("${drillMinio}"): the AZ-loss drill scales the drill's copy only, never a live namespace`);
    }
    this.pollMs = o.pollMs ?? 5_000;
  }

  describe(zone: number): string {
    return `${this.plan.aws.availabilityZones[zone] ?? 'unknown AZ'} (zone ${zone})`;
  }

  private statefulSets(zone: number): string[] {
    const names = this.plan.minio.statefulSets.filter((s) => s.zoneIndex === zone).map((s) => s.name);
    if (!names.length) throw new DrillError(`zone ${zone}: the plan places no MinIO StatefulSet there`);
    return names;
  }

  async down(zone: number): Promise<void> {
    const names = this.statefulSets(zone);
    const workloads = await this.kube.listWorkloads(this.namespace);
    for (const name of names) {
      const w = workloads.find((x) => x.kind === 'StatefulSet' && x.name === name);
      if (!w) throw new DrillError(`statefulset ${this.namespace}/${name} does not exist`);
      if (w.replicas === 0 && !this.saved.has(name)) throw new DrillError(`statefulset ${this.namespace}/${name} is already at 0 replicas: nothing to take away or to restore`);
    }
    for (const name of names) {
      if (!this.saved.has(name)) this.saved.set(name, workloads.find((x) => x.name === name)!.replicas);
      await this.kube.scaleStatefulSet(this.namespace, name, 0);
    }
    this.o.progress?.(`zone loss: scaled ${names.map((n) => `${this.namespace}/${n}`).join(', ')} to 0`);
    await this.until(this.o.downTimeoutMs ?? 300_000, 'pods of the zone still present', async () => {
      const left: string[] = [];
      for (const name of names) for (const p of await this.kube.statefulSetPods(this.namespace, name)) left.push(`${this.namespace}/${p.name}${p.terminating ? ' (terminating)' : ''}`);
      return left;
    });
  }

  async up(zone: number): Promise<void> {
    const names = this.statefulSets(zone).filter((n) => this.saved.has(n));
    await this.scaleBack(names);
    await this.until(this.o.upTimeoutMs ?? 600_000, 'servers of the zone not ready', async () => {
      const workloads = await this.kube.listWorkloads(this.namespace);
      return names.map((n) => {
        const w = workloads.find((x) => x.kind === 'StatefulSet' && x.name === n);
        return w ? notReadyReason(w) : `statefulset ${this.namespace}/${n} is gone`;
      }).filter((x): x is string => x !== undefined);
    });
  }

  /** Scales back every StatefulSet still held at zero; no wait (the drill's clean-up follows). */
  async restore(): Promise<void> {
    await this.scaleBack([...this.saved.keys()]);
  }

  private async scaleBack(names: string[]): Promise<void> {
    const failed: string[] = [];
    for (const name of names) {
      try {
        await this.kube.scaleStatefulSet(this.namespace, name, this.saved.get(name)!);
        this.saved.delete(name);
      } catch (err) {
        failed.push(`${this.namespace}/${name}: ${(err as Error).message}`);
      }
    }
    if (failed.length) throw new DrillError(`could not scale back ${failed.join('; ')}`);
    if (names.length) this.o.progress?.(`zone loss: scaled ${names.map((n) => `${this.namespace}/${n}`).join(', ')} back`);
  }

  /** Polls `left` until it is empty; throws naming what is left after `timeoutMs`. */
  private async until(timeoutMs: number, what: string, left: () => Promise<string[]>): Promise<void> {
    const { clock } = this.o;
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      const l = await left();
      if (!l.length) return;
      if (clock.now() >= deadline) throw new DrillError(`${what} after ${Math.round(timeoutMs / 1000)} s: ${l.join(', ')}`);
      await clock.sleep(Math.min(this.pollMs, deadline - clock.now()));
    }
  }
}
