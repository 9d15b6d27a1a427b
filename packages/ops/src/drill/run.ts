import { HARBOR_RELEASE, type EnvironmentPlan } from '@harbor-platform/config';
import { DrillError } from '../errors.js';
import { backupAgeMs, chooseBackup } from './choose.js';
import { cleanUpDrill, type CleanupResult } from './cleanup.js';
import type { DataPath, DataTargets, DrillDataPath, RegistryCopyRef, VerifyOutcome } from './data-path.js';
import { drillIsolationRules, registryOnlyDrill, registryOnlyRules, type RenderedObject } from './isolation.js';
import { drillNamespaceMapping } from './namespaces.js';
import { provisioningObjects, provisionMinio } from './provision.js';
import { drillZoneLoss, type DrillZoneLoss, type ZoneProbeFactory } from './zone-loss-step.js';
import type { KubeApi } from '../kube/api.js';
import { waitForWorkloads } from '../kube/readiness.js';
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
  readonly filled?: { objects: number; bytes: number };
  /** The AZ-loss step, when it ran (velero.drill.zoneLoss.enabled and the restore verified). */
  readonly zoneLoss?: DrillZoneLoss;
  readonly cleanup: CleanupResult;
}

class StepFailure extends Error {
  constructor(readonly step: DrillStep, message: string) {
    super(message);
  }
}

/** Runs one step; any error it throws is that step's failure. */
async function inStep<T>(name: DrillStep, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw err instanceof StepFailure ? err : new StepFailure(name, (err as Error).message);
  }
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
  let failure: StepFailure | undefined;

  try {
    // Leftovers from a crashed run would make the Restore skip existing objects.
    const leftovers = await cleanUpDrill(d.kube, plan, d.veleroNamespace, modifiersName, clock, d.progress);
    if (!leftovers.ok) throw new StepFailure('cleanup', `leftovers of an earlier drill could not be removed: ${leftovers.problems.join('; ')}`);

    const choice = chooseBackup(await d.kube.listCustom<VeleroBackup>(BACKUPS, d.veleroNamespace), {
      schedules: plan.backups.velero.schedules.map((s) => s.name),
      namespaces: Object.keys(mapping),
    });
    if ('problem' in choice) throw new StepFailure('choose-backup', choice.problem);
    state.backup = choice.backup.metadata.name;
    d.progress(`backup: ${state.backup} (completed ${choice.backup.status?.completionTimestamp})`);

    const copy = await d.data.latestCopy();
    if (!copy) throw new StepFailure('choose-copy', `no registry-data copy with an inventory in s3://${plan.backups.registryData.bucket}/${plan.backups.registryData.prefix}`);
    state.copy = copy;
    state.registryDataRpoMs = Math.max(0, started - copy.takenAt.getTime());
    state.rpoMs = Math.max(backupAgeMs(choice.backup, started), state.registryDataRpoMs);
    d.progress(`registry data: inventory ${copy.inventory} (taken ${copy.takenAt.toISOString()})`);

    const drillEndpoint = drillMinioEndpoint(plan, mapping);
    const provisioning = await inStep('provision-minio', async () => provisioningObjects(d.manifests, plan, { namespace: mapping[plan.minio.namespace]!, endpoint: drillEndpoint, purpose: 'drill' }));
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
    if (waited.outcome === 'gone') throw new StepFailure('restore', `restore ${restore.metadata.name} disappeared while waiting`);
    state.restorePhase = waited.phase;
    if (waited.outcome === 'timeout') throw new StepFailure('restore', `restore still ${waited.phase ?? 'New'} after the drill timeout of ${plan.drill.timeoutMinutes} min`);
    if (waited.phase !== 'Completed') {
      const s = waited.object.status;
      const detail = [s?.failureReason, s?.errors && `${s.errors} error(s)`, s?.validationErrors?.join('; ')].filter(Boolean).join(', ');
      throw new StepFailure('restore', `restore ended ${waited.phase}${detail ? `: ${detail}` : ''}`);
    }

    const wrong = await inStep('check-modifiers', () => readBackModifiers(d.kube, rules, mapping));
    if (wrong.length) throw new StepFailure('check-modifiers', `the restored objects are not as the resource modifiers meant, so nothing was started against them: ${wrong.join('; ')}`);
    const waitOptions = { clock, deadline, pollMs: d.pollMs, progress: d.progress };
    const ready = await inStep('wait-ready', () => waitForWorkloads(d.kube, Object.values(mapping), waitOptions));
    if (!ready.ok) throw new StepFailure('wait-ready', `not ready at the drill timeout of ${plan.drill.timeoutMinutes} min: ${ready.notReady.join('; ')}`);
    state.readyMs = clock.now() - restoreStart;
    await inStep('provision-minio', () => provisionMinio(d.kube, provisioning, waitOptions));
    state.provisioned = `${provisioning.job.metadata.namespace}/${provisioning.job.metadata.name}`;

    const targets = await d.access.open(mapping);
    try {
      const path = await fillAndVerify(d.data, copy, targets, d.progress, () => clock.now() > deadline && `filling MinIO passed the drill timeout of ${plan.drill.timeoutMinutes} min`);
      state.filled = path.filled;
      state.verify = path.verify;
      state.rtoMs = clock.now() - restoreStart;
      if (plan.drill.zoneLoss.enabled) {
        state.zoneLoss = await inStep('zone-loss', () => drillZoneLoss(d, copy, targets, mapping[plan.minio.namespace]!));
        if (!state.zoneLoss.ok) throw new StepFailure('zone-loss', `${state.zoneLoss.zone}: ${state.zoneLoss.reason}`);
      }
    } catch (err) {
      if (err instanceof StepFailure) throw err;
      if (err instanceof DataPathFailure) {
        state.filled ??= err.filled;
        state.verify ??= err.verify;
        throw new StepFailure(err.step, err.message);
      }
      throw new StepFailure(stepOf(state), (err as Error).message);
    } finally {
      await targets.close();
    }
  } catch (err) {
    failure = err instanceof StepFailure ? err : new StepFailure(stepOf(state), (err as Error).message);
  }

  const cleanup = await cleanUpDrill(d.kube, plan, d.veleroNamespace, modifiersName, clock, d.progress);
  if (!failure && !cleanup.ok) failure = new StepFailure('cleanup', cleanup.problems.join('; '));
  return {
    environment: plan.environment,
    ...state,
    ok: !failure,
    failedStep: failure?.step,
    reason: failure?.message,
    rtoTargetMs: plan.drill.rtoTargetMinutes * 60_000,
    registryDataRpoWorstMs: plan.backups.rpo.registryDataMinutes * 60_000,
    cleanup,
  };
}

/** The data path failed at one step; what it got done so far comes along. */
export class DataPathFailure extends Error {
  constructor(readonly step: 'fill-minio' | 'verify', message: string, readonly filled?: { objects: number; bytes: number }, readonly verify?: VerifyOutcome) {
    super(message);
  }
}

/**
 * The registry half of the drill, shared with the local rehearsal of it: fill the empty
 * bucket from the copy (as registry-restore does), then verify the registry that serves
 * that bucket against the copy's inventory. Throws DataPathFailure naming every missing
 * or changed digest.
 */
export async function fillAndVerify(
  data: DataPath,
  copy: RegistryCopyRef,
  targets: DataTargets,
  progress: (l: string) => void,
  overdue: () => string | false = () => false,
) {
  progress('filling the empty bucket from the registry-data copy');
  let filled;
  try {
    const result = await data.restoreCopy(copy, targets.s3);
    filled = { objects: result.objects, bytes: result.bytes };
    if (result.missing.length || result.failed.length) {
      const what = [...result.missing.map((m) => `missing from the copy: blob ${m}`), ...result.failed.map((f) => `not copied: ${f.key} (${f.reason})`)];
      throw new DataPathFailure('fill-minio', `the registry-data copy could not be restored: ${what.slice(0, 20).join('; ')}`, filled);
    }
  } catch (err) {
    if (err instanceof DataPathFailure) throw err;
    throw new DataPathFailure('fill-minio', (err as Error).message, filled);
  }
  const late = overdue();
  if (late) throw new DataPathFailure('fill-minio', late, filled);
  progress('verifying the restored registry against the inventory');
  let verify: VerifyOutcome;
  try {
    verify = await data.verify(copy, targets.registry);
  } catch (err) {
    throw new DataPathFailure('verify', (err as Error).message, filled);
  }
  if (!verify.ok) throw new DataPathFailure('verify', [verify.summary, ...verify.problems.slice(0, 20)].join('; '), filled, verify);
  return { filled, verify };
}

/** For an unexpected error: the step the drill had reached. */
type Reached = { backup?: string; copy?: RegistryCopyRef; restorePhase?: string; provisioned?: string; filled?: unknown; rtoMs?: number };
function stepOf(s: Reached): DrillStep {
  if (s.rtoMs !== undefined) return 'zone-loss';
  if (s.filled) return 'verify';
  if (s.provisioned) return 'fill-minio';
  if (s.restorePhase) return 'restore';
  if (s.copy) return 'restore';
  if (s.backup) return 'choose-copy';
  return 'choose-backup';
}

/** MinIO's in-cluster endpoint with its namespace swapped for the drill's. */
export function drillMinioEndpoint(plan: EnvironmentPlan, mapping: Record<string, string>): string {
  const url = new URL(plan.minio.endpoint);
  const drillNs = mapping[plan.minio.namespace]!;
  url.hostname = url.hostname.replace(`.${plan.minio.namespace}.svc`, `.${drillNs}.svc`);
  if (!url.hostname.includes(`.${drillNs}.svc`)) throw new DrillError(`MinIO endpoint ${plan.minio.endpoint} is not an in-cluster service URL of namespace ${plan.minio.namespace}; the drill cannot re-point it`);
  return url.origin;
}
