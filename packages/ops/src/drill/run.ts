import { HARBOR_RELEASE, type EnvironmentPlan } from '@harbor-platform/config';
import { DrillError } from '../errors.js';
import { backupAgeMs, chooseBackup } from './choose.js';
import { cleanUpDrill, type CleanupResult } from './cleanup.js';
import { drillIsolationRules, registryOnlyDrill, registryOnlyRules } from './isolation.js';
import { drillNamespaceMapping } from './namespaces.js';
import { drillZoneLoss, type DrillZoneLoss, type ZoneProbeFactory } from './zone-loss-step.js';
import type { KubeApi } from '../kube/api.js';
import { waitForWorkloads } from '../kube/readiness.js';
import type { DataTargets, DrillDataPath, RegistryCopyRef, VerifyOutcome } from '../steps/data-path.js';
import { DataPathFailure, fillAndVerify, type Filled } from '../steps/fill-and-verify.js';
import { provisioningObjects, provisionMinio } from '../steps/provision.js';
import type { RenderedObject } from '../steps/rendered-object.js';
import { StepFailure, StepRunner, type StepTiming } from '../steps/runner.js';
import { drillModifierRules, modifierConfigMap, DRILL_EXCLUDED_RESOURCES } from '../velero/modifiers.js';
import { restoreObject, timestampedName, MANAGED_BY } from '../velero/objects.js';
import { readBackModifiers } from '../velero/readback.js';
import { BACKUPS, RESTORES, type VeleroBackup, type VeleroRestore } from '../velero/types.js';
import { waitForVelero, type Clock } from '../velero/wait.js';

/** Where the drill reaches the restored MinIO and Harbor (port-forwards and credentials). */
export interface DrillAccess {
  /** The URL the restored Harbor must call itself: the local end of its port-forward. */
  readonly harborUrl: string;
  open(mapping: Record<string, string>): Promise<DataTargets & { close(): Promise<void> }>;
}

export interface DrillDeps {
  readonly plan: EnvironmentPlan;
  readonly veleroNamespace: string;
  readonly kube: KubeApi;
  readonly data: DrillDataPath;
  readonly access: DrillAccess;
  /**
   * The objects the platform deploys (`buildManifests(config)` of packages/manifests): the
   * drill derives from them the patches that keep the restored MinIO and network policies
   * inside the drill namespaces.
   */
  readonly manifests: RenderedObject[];
  readonly clock: Clock;
  readonly progress: (line: string) => void;
  /** Between two reads of the Restore. @default 10_000 */
  readonly pollMs?: number;
  /** The registry probe of the AZ-loss step. @default the distribution API through the port-forward */
  readonly zoneProbe?: ZoneProbeFactory;
}

export type DrillStep = 'choose-backup' | 'choose-copy' | 'restore' | 'check-modifiers' | 'wait-ready' | 'provision-minio' | 'fill-minio' | 'verify' | 'zone-loss' | 'cleanup';

export interface DrillResult {
  readonly environment: string;
  readonly ok: boolean;
  /** The step that failed, when one did. */
  readonly failedStep?: DrillStep;
  readonly reason?: string;
  readonly backup?: string;
  readonly copy?: RegistryCopyRef;
  readonly restoreName?: string;
  readonly restorePhase?: string;
  /** Restore start to every restored Deployment and StatefulSet ready (ms). */
  readonly readyMs?: number;
  /** The provisioning Job that created the drill MinIO's bucket, user and policy, once it succeeded. */
  readonly provisioned?: string;
  /** Restore start to verified (ms); only when verified. */
  readonly rtoMs?: number;
  readonly rtoTargetMs: number;
  /** Age of the older of the two backups (Velero objects, registry data) at drill start (ms). */
  readonly rpoMs?: number;
  /** Age of the registry-data copy at drill start (ms): the registry-data RPO the drill got. */
  readonly registryDataRpoMs?: number;
  /** The schedules' worst case of the same (plan.backups.rpo.registryDataMinutes, ms). */
  readonly registryDataRpoWorstMs?: number;
  readonly verify?: VerifyOutcome;
  readonly filled?: Filled;
  /** The AZ-loss step, when it ran (velero.drill.zoneLoss.enabled and the restore verified). */
  readonly zoneLoss?: DrillZoneLoss;
  readonly cleanup: CleanupResult;
  /** Each step the drill entered, in order, with its wall time (ms). */
  readonly timings?: StepTiming<DrillStep>[];
}

/**
 * The restore drill: newest completed scheduled backup + newest registry-data copy ->
 * Velero Restore into the drill namespaces (modifiers keep it off the live MinIO and the
 * public host) -> read back every field the modifiers set -> wait for every restored
 * Deployment and StatefulSet to be ready -> provision the drill MinIO (bucket, user,
 * policy: its drives start empty) with the provisioning Job's own script -> fill it ->
 * verify -> RTO/RPO -> the AZ-loss step (drillZoneLoss), unless the environment opts out. Every wait is bounded by the drill's timeout; clean-up runs on every path.
 */
export async function runDrill(d: DrillDeps): Promise<DrillResult> {
  const { plan, clock } = d;
  const started = clock.now();
  const deadline = started + plan.drill.timeoutMinutes * 60_000;
  const mapping = drillNamespaceMapping(plan);
  const modifiersName = plan.drill.modifiersConfigMap;
  const state: { -readonly [K in keyof DrillResult]?: DrillResult[K] } = {};
  // Typed explicitly: TypeScript narrows after steps.fail (never) only then.
  const steps: StepRunner<DrillStep> = new StepRunner<DrillStep>({ first: 'cleanup', now: () => clock.now() });
  let failure: (StepFailure<DrillStep> & { readonly step: DrillStep }) | undefined;

  try {
    // Leftovers from a crashed run would make the Restore skip existing objects.
    const leftovers = await cleanUpDrill(d.kube, plan, d.veleroNamespace, modifiersName, clock, d.progress);
    if (!leftovers.ok) steps.fail(`leftovers of an earlier drill could not be removed: ${leftovers.problems.join('; ')}`);

    steps.enter('choose-backup');
    const choice = chooseBackup(await d.kube.listCustom<VeleroBackup>(BACKUPS, d.veleroNamespace), {
      schedules: plan.backups.velero.schedules.map((s) => s.name),
      namespaces: Object.keys(mapping),
    });
    if ('problem' in choice) steps.fail(choice.problem);
    state.backup = choice.backup.metadata.name;
    d.progress(`backup: ${state.backup} (completed ${choice.backup.status?.completionTimestamp})`);

    steps.enter('choose-copy');
    const copy = await d.data.latestCopy();
    if (!copy) steps.fail(`no registry-data copy with an inventory in s3://${plan.backups.registryData.bucket}/${plan.backups.registryData.prefix}`);
    state.copy = copy;
    state.registryDataRpoMs = Math.max(0, started - copy.takenAt.getTime());
    state.rpoMs = Math.max(backupAgeMs(choice.backup, started), state.registryDataRpoMs);
    d.progress(`registry data: inventory ${copy.inventory} (taken ${copy.takenAt.toISOString()})`);

    steps.enter('restore');
    const drillEndpoint = drillMinioEndpoint(plan, mapping);
    // Checked before anything is created; it runs after the restore (provision-minio).
    const provisioning = await steps.failsAs('provision-minio', () => provisioningObjects(d.manifests, plan, { namespace: mapping[plan.minio.namespace]!, endpoint: drillEndpoint, purpose: 'drill' }));
    const rules = [
      ...drillModifierRules({ drillS3Endpoint: drillEndpoint, drillExternalUrl: d.access.harborUrl, harborRelease: HARBOR_RELEASE }),
      ...drillIsolationRules(d.manifests, mapping),
      ...(registryOnlyDrill(plan) ? registryOnlyRules(HARBOR_RELEASE) : []),
    ];
    await d.kube.applyConfigMap(modifierConfigMap(modifiersName, d.veleroNamespace, rules, { ...MANAGED_BY }));
    const restoreStart = clock.now();
    const restore = restoreObject({
      name: timestampedName(`drill-${plan.environment}`, new Date(restoreStart)),
      veleroNamespace: d.veleroNamespace,
      backupName: state.backup,
      includedNamespaces: Object.keys(mapping),
      namespaceMapping: mapping,
      resourceModifierConfigMap: modifiersName,
      excludedResources: DRILL_EXCLUDED_RESOURCES,
      labels: { 'harbor-platform/purpose': 'drill', 'harbor-platform/environment': plan.environment },
    });
    state.restoreName = restore.metadata.name;
    await d.kube.createCustom(RESTORES, d.veleroNamespace, restore);
    const waited = await waitForVelero(() => d.kube.getCustom<VeleroRestore>(RESTORES, d.veleroNamespace, restore.metadata.name), `restore ${restore.metadata.name}`, {
      clock,
      deadline,
      pollMs: d.pollMs,
      progress: d.progress,
    });
    if (waited.outcome === 'gone') steps.fail(`restore ${restore.metadata.name} disappeared while waiting`);
    state.restorePhase = waited.phase;
    if (waited.outcome === 'timeout') steps.fail(`restore still ${waited.phase ?? 'New'} after the drill timeout of ${plan.drill.timeoutMinutes} min`);
    if (waited.phase !== 'Completed') {
      const s = waited.object.status;
      const detail = [s?.failureReason, s?.errors && `${s.errors} error(s)`, s?.validationErrors?.join('; ')].filter(Boolean).join(', ');
      steps.fail(`restore ended ${waited.phase}${detail ? `: ${detail}` : ''}`);
    }

    const wrong = await steps.run('check-modifiers', () => readBackModifiers(d.kube, rules, mapping));
    if (wrong.length) steps.fail(`the restored objects are not as the resource modifiers meant, so nothing was started against them: ${wrong.join('; ')}`);
    const waitOptions = { clock, deadline, pollMs: d.pollMs, progress: d.progress };
    const ready = await steps.run('wait-ready', () => waitForWorkloads(d.kube, Object.values(mapping), waitOptions));
    if (!ready.ok) steps.fail(`not ready at the drill timeout of ${plan.drill.timeoutMinutes} min: ${ready.notReady.join('; ')}`);
    state.readyMs = clock.now() - restoreStart;
    await steps.run('provision-minio', () => provisionMinio(d.kube, provisioning, waitOptions));
    state.provisioned = `${provisioning.job.metadata.namespace}/${provisioning.job.metadata.name}`;

    steps.enter('fill-minio');
    const targets = await d.access.open(mapping);
    try {
      const path = await fillAndVerify(d.data, copy, targets, d.progress, { overdue: () => clock.now() > deadline && `filling MinIO passed the drill timeout of ${plan.drill.timeoutMinutes} min` });
      state.filled = path.filled;
      state.verify = path.verify;
      state.rtoMs = clock.now() - restoreStart;
      if (plan.drill.zoneLoss.enabled) {
        state.zoneLoss = await steps.run('zone-loss', () => drillZoneLoss(d, copy, targets, mapping[plan.minio.namespace]!));
        if (!state.zoneLoss.ok) steps.fail(`${state.zoneLoss.zone}: ${state.zoneLoss.reason}`);
      }
    } catch (err) {
      if (err instanceof DataPathFailure) {
        state.filled ??= err.filled;
        state.verify ??= err.verify;
      }
      throw err;
    } finally {
      await targets.close();
    }
  } catch (err) {
    failure = steps.failure(err);
  }

  steps.enter('cleanup');
  const cleanup = await cleanUpDrill(d.kube, plan, d.veleroNamespace, modifiersName, clock, d.progress);
  if (!failure && !cleanup.ok) failure = steps.failure(new StepFailure(cleanup.problems.join('; '), 'cleanup'));
  return {
    environment: plan.environment,
    ...state,
    ok: !failure,
    failedStep: failure?.step,
    reason: failure?.message,
    rtoTargetMs: plan.drill.rtoTargetMinutes * 60_000,
    registryDataRpoWorstMs: plan.backups.rpo.registryDataMinutes * 60_000,
    cleanup,
    timings: steps.timings(),
  };
}

/** MinIO's in-cluster endpoint with its namespace swapped for the drill's. */
export function drillMinioEndpoint(plan: EnvironmentPlan, mapping: Record<string, string>): string {
  const url = new URL(plan.minio.endpoint);
  const drillNs = mapping[plan.minio.namespace]!;
  url.hostname = url.hostname.replace(`.${plan.minio.namespace}.svc`, `.${drillNs}.svc`);
  if (!url.hostname.includes(`.${drillNs}.svc`)) throw new DrillError(`MinIO endpoint ${plan.minio.endpoint} is not an in-cluster service URL of namespace ${plan.minio.namespace}; the drill cannot re-point it`);
  return url.origin;
}
