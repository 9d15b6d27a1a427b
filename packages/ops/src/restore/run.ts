import type { EnvironmentPlan } from '@harbor-platform/config';
import type { KubeApi } from '../kube/api.js';
import { waitForWorkloads } from '../kube/readiness.js';
import type { DataPath, DataTargets, RegistryCopyRef, VerifyOutcome } from '../steps/data-path.js';
import { DataPathFailure, fillAndVerify, type Filled } from '../steps/fill-and-verify.js';
import { provisioningObjects, provisionMinio, type Provisioning } from '../steps/provision.js';
import type { RenderedObject } from '../steps/rendered-object.js';
import { StepRunner, type StepTiming } from '../steps/runner.js';
import { backupObject, restoreObject, timestampedName } from '../velero/objects.js';
import { BACKUPS, RESTORES, type VeleroBackup, type VeleroRestore } from '../velero/types.js';
import { waitForVelero, type Clock } from '../velero/wait.js';

/** The registry half of a real restore: the drill's data path plus the two things only a restore needs. */
export interface RestoreDataPath extends DataPath {
  /** The newest copy taken at or before `at` (the copy that belongs to a Velero backup). */
  copyAt(at: Date): Promise<RegistryCopyRef | undefined>;
  /** registry-backup of the live registry: the registry half of the safety backup. */
  safetyBackup(live: DataTargets): Promise<{ inventory: string }>;
}

/** Reaches the environment's live MinIO and registry (after the restore, the restored ones). */
export interface LiveAccess {
  open(): Promise<DataTargets & { close(): Promise<void> }>;
}

export interface RestoreRequest {
  readonly backupName: string;
  readonly namespaces: string[];
}

export interface RestoreDeps {
  readonly plan: EnvironmentPlan;
  readonly veleroNamespace: string;
  readonly kube: KubeApi;
  readonly data: RestoreDataPath;
  readonly access: LiveAccess;
  /**
   * The objects the platform deploys (`buildManifests(config)`): the restore runs their
   * provisioning Job again, since Velero does not restore a Job that had completed.
   */
  readonly manifests: RenderedObject[];
  readonly clock: Clock;
  readonly progress: (line: string) => void;
  /** Upper bound of the whole restore. @default plan.drill.timeoutMinutes x 2 */
  readonly timeoutMs?: number;
  /** Between two reads of a Velero object. @default 10_000 */
  readonly pollMs?: number;
  /**
   * The job's AWS credentials (S3 for the copy, EKS tokens for the cluster). A restore
   * that would outlive them could stop half-way, with the live namespaces deleted, so
   * it refuses to start unless they last until its deadline. Credentials without an
   * expiration (long-term keys, or a provider the SDK refreshes) pass.
   * @default not checked
   */
  readonly credentials?: () => Promise<{ readonly expiration?: Date }>;
}

export type RestoreStep = 'check' | 'safety-backup' | 'delete-namespaces' | 'restore' | 'wait-ready' | 'provision-minio' | 'fill-minio' | 'verify';

export interface RestoreResult {
  readonly environment: string;
  readonly ok: boolean;
  readonly failedStep?: RestoreStep;
  readonly reason?: string;
  readonly backup: string;
  readonly namespaces: string[];
  readonly safetyBackup?: { velero: string; registryInventory: string };
  readonly restoreName?: string;
  readonly copy?: RegistryCopyRef;
  readonly filled?: Filled;
  readonly verify?: VerifyOutcome;
  /** Restore start to verified (ms). */
  readonly durationMs?: number;
  /**
   * Registry-data RPO this restore got (ms): from the registry-data copy to the Velero
   * backup's completion. Images pushed in between are referenced by the restored
   * database but have no blobs in the copy.
   */
  readonly registryDataRpoMs?: number;
  /** Each step the restore entered, in order, with its wall time (ms). */
  readonly timings?: StepTiming<RestoreStep>[];
}

/**
 * A real restore of an environment, in an order that never loses data it could keep:
 * check the backup and its copy -> safety backup of both layers (Velero and registry
 * data) -> delete the namespaces -> Velero Restore -> fill the (new, empty) MinIO from
 * the copy -> verify against that copy's inventory. Nothing is deleted before the
 * safety backup has completed. Before filling it waits, bounded by its deadline, for
 * every restored Deployment and StatefulSet to be ready, then runs the deployed
 * provisioning Job's script again (MinIO's drives come back empty, and Velero skips
 * Jobs that had completed) and waits for it to create the bucket, Harbor's user and
 * its policy.
 */
export async function runRestore(req: RestoreRequest, d: RestoreDeps): Promise<RestoreResult> {
  const { plan, clock, kube } = d;
  const deadline = clock.now() + (d.timeoutMs ?? plan.drill.timeoutMinutes * 2 * 60_000);
  const state: { -readonly [K in keyof RestoreResult]?: RestoreResult[K] } = {};
  const wait = <T extends VeleroBackup | VeleroRestore>(type: typeof BACKUPS, name: string, what: string) =>
    waitForVelero(() => kube.getCustom<T>(type, d.veleroNamespace, name), what, { clock, deadline, pollMs: d.pollMs, progress: d.progress });
  // Typed explicitly: TypeScript narrows after steps.fail (never) only then.
  const steps: StepRunner<RestoreStep> = new StepRunner<RestoreStep>({ first: 'check', now: () => clock.now() });
  try {
    const backup = await kube.getCustom<VeleroBackup>(BACKUPS, d.veleroNamespace, req.backupName);
    if (!backup) steps.fail(`no Velero backup "${req.backupName}" in namespace ${d.veleroNamespace}`);
    if (backup.status?.phase !== 'Completed') steps.fail(`backup ${req.backupName} is ${backup.status?.phase ?? 'New'}, not Completed: pick a Completed one`);
    const missingNs = req.namespaces.filter((ns) => !backup.spec.includedNamespaces?.includes(ns) && !backup.spec.includedNamespaces?.includes('*'));
    if (missingNs.length) steps.fail(`backup ${req.backupName} does not include ${missingNs.join(', ')} (it has ${backup.spec.includedNamespaces?.join(', ') || 'none'})`);
    const at = new Date(backup.status.completionTimestamp ?? backup.status.startTimestamp ?? 0);
    const copy = await d.data.copyAt(at);
    if (!copy) steps.fail(`no registry-data copy taken at or before ${at.toISOString()} (the backup's completion)`);
    state.copy = copy;
    let provisioning: Provisioning | undefined;
    if (req.namespaces.includes(plan.minio.namespace)) {
      try {
        provisioning = provisioningObjects(d.manifests, plan, { namespace: plan.minio.namespace, endpoint: plan.minio.endpoint, purpose: 'restore' });
      } catch (err) {
        steps.fail(`${(err as Error).message}; nothing was changed`);
      }
    }
    state.registryDataRpoMs = Math.max(0, at.getTime() - copy.takenAt.getTime());
    if (d.credentials) {
      const { expiration } = await d.credentials();
      if (expiration && expiration.getTime() < deadline) {
        steps.fail(`the AWS credentials expire at ${expiration.toISOString()}, before the restore's deadline ${new Date(deadline).toISOString()}, and a restore must never stop half-way; nothing was changed: assume the role for longer (role-duration-seconds up to the role's maximum session)`);
      }
    }

    steps.enter('safety-backup');
    const safety = backupObject({
      name: timestampedName(`safety-${plan.environment}`, new Date(clock.now())),
      veleroNamespace: d.veleroNamespace,
      includedNamespaces: req.namespaces,
      labels: { 'harbor-platform/purpose': 'safety', 'harbor-platform/environment': plan.environment },
    });
    d.progress(`safety backup ${safety.metadata.name} of ${req.namespaces.join(', ')}`);
    await kube.createCustom(BACKUPS, d.veleroNamespace, safety);
    const done = await wait<VeleroBackup>(BACKUPS, safety.metadata.name, `backup ${safety.metadata.name}`);
    if (done.outcome !== 'finished' || done.phase !== 'Completed') {
      steps.fail(`safety backup ${safety.metadata.name} ended ${done.outcome === 'finished' ? done.phase : done.outcome}; nothing was changed`);
    }
    const live = await d.access.open();
    let registryInventory: string;
    try {
      registryInventory = (await d.data.safetyBackup(live)).inventory;
    } finally {
      await live.close();
    }
    state.safetyBackup = { velero: safety.metadata.name, registryInventory };

    steps.enter('delete-namespaces');
    for (const ns of req.namespaces) await kube.deleteNamespace(ns);
    for (;;) {
      const left = [];
      for (const ns of req.namespaces) if (await kube.namespaceExists(ns)) left.push(ns);
      if (!left.length) break;
      if (clock.now() >= deadline) steps.fail(`still deleting ${left.join(', ')} at the timeout`);
      d.progress(`waiting for ${left.join(', ')} to be deleted`);
      await clock.sleep(5_000);
    }

    steps.enter('restore');
    const started = clock.now();
    const restore = restoreObject({
      name: timestampedName(`restore-${plan.environment}`, new Date(started)),
      veleroNamespace: d.veleroNamespace,
      backupName: req.backupName,
      includedNamespaces: req.namespaces,
      labels: { 'harbor-platform/purpose': 'restore', 'harbor-platform/environment': plan.environment },
    });
    state.restoreName = restore.metadata.name;
    await kube.createCustom(RESTORES, d.veleroNamespace, restore);
    const restored = await wait<VeleroRestore>(RESTORES, restore.metadata.name, `restore ${restore.metadata.name}`);
    if (restored.outcome !== 'finished' || restored.phase !== 'Completed') {
      steps.fail(`restore ${restore.metadata.name} ended ${restored.outcome === 'finished' ? restored.phase : restored.outcome}`);
    }

    steps.enter('wait-ready');
    const waitOptions = { clock, deadline, pollMs: d.pollMs, progress: d.progress };
    const ready = await waitForWorkloads(kube, req.namespaces, waitOptions);
    if (!ready.ok) steps.fail(`not ready at the restore's deadline: ${ready.notReady.join('; ')}`);
    if (provisioning) {
      steps.enter('provision-minio');
      try {
        await provisionMinio(kube, provisioning, waitOptions);
      } catch (err) {
        steps.fail(`${(err as Error).message}; the registry data was not restored: fix it, then fill with registry-restore and check with verify`);
      }
    }

    steps.enter(req.namespaces.includes(plan.minio.namespace) ? 'fill-minio' : 'verify');
    const targets = await d.access.open();
    try {
      const path = await fillAndVerify(d.data, copy, targets, d.progress, { fill: req.namespaces.includes(plan.minio.namespace) });
      state.filled = path.filled;
      state.verify = path.verify;
    } catch (err) {
      if (err instanceof DataPathFailure) {
        state.filled ??= err.filled;
        state.verify ??= err.verify;
      }
      throw err;
    } finally {
      await targets.close();
    }
    state.durationMs = clock.now() - started;
    return { environment: plan.environment, ok: true, backup: req.backupName, namespaces: req.namespaces, ...state, timings: steps.timings() };
  } catch (err) {
    const failure = steps.failure(err);
    const base = { environment: plan.environment, backup: req.backupName, namespaces: req.namespaces };
    return { ...base, ok: false, failedStep: failure.step, reason: failure.message, ...state, timings: steps.timings() };
  }
}
