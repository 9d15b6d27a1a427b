import { HARBOR_RELEASE, type EnvironmentPlan } from '@harbor-platform/config';
import type { KubeApi } from '../kube/api.js';
import { restoreObject, timestampedName, MANAGED_BY } from '../velero/objects.js';
import { drillModifierRules, modifierConfigMap, DRILL_EXCLUDED_RESOURCES } from '../velero/modifiers.js';
import { BACKUPS, RESTORES, type VeleroBackup, type VeleroRestore } from '../velero/types.js';
import { waitForVelero, type Clock } from '../velero/wait.js';
import { backupAgeMs, chooseBackup } from './choose.js';
import { cleanUpDrill, type CleanupResult } from './cleanup.js';
import type { DataPath, DataTargets, RegistryCopyRef, VerifyOutcome } from './data-path.js';
import { drillNamespaceMapping } from './namespaces.js';

/** Where the drill reaches the restored MinIO and Harbor (port-forwards and credentials). */
export interface DrillAccess {
  open(mapping: Record<string, string>): Promise<DataTargets & { close(): Promise<void> }>;
  /** The URL the restored Harbor must call itself: the local end of its port-forward. */
  readonly harborUrl: string;
}

export interface DrillDeps {
  readonly plan: EnvironmentPlan;
  readonly veleroNamespace: string;
  readonly kube: KubeApi;
  readonly data: DataPath;
  readonly access: DrillAccess;
  readonly clock: Clock;
  readonly progress: (line: string) => void;
  /** Between two reads of the Restore. @default 10_000 */
  readonly pollMs?: number;
}

export type DrillStep = 'choose-backup' | 'choose-copy' | 'restore' | 'fill-minio' | 'verify' | 'cleanup';

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
  /** Restore start to verified (ms); only when verified. */
  readonly rtoMs?: number;
  readonly rtoTargetMs: number;
  /** Age of the older of the two backups (Velero objects, registry data) at drill start (ms). */
  readonly rpoMs?: number;
  readonly verify?: VerifyOutcome;
  readonly filled?: { objects: number; bytes: number };
  readonly cleanup: CleanupResult;
}

class StepFailure extends Error {
  constructor(readonly step: DrillStep, message: string) {
    super(message);
  }
}

/**
 * The restore drill: newest completed scheduled backup + newest registry-data copy ->
 * Velero Restore into the drill namespaces (modifiers keep it off the live MinIO and the
 * public host) -> fill the drill MinIO -> verify -> RTO/RPO. Clean-up runs on every path.
 */
export async function runDrill(d: DrillDeps): Promise<DrillResult> {
  const { plan, clock } = d;
  const started = clock.now();
  const deadline = started + plan.drill.timeoutMinutes * 60_000;
  const mapping = drillNamespaceMapping(plan);
  const modifiersName = `harbor-platform-drill-${plan.environment}`;
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
    state.rpoMs = Math.max(backupAgeMs(choice.backup, started), Math.max(0, started - copy.takenAt.getTime()));
    d.progress(`registry data: inventory ${copy.inventory} (taken ${copy.takenAt.toISOString()})`);

    await d.kube.applyConfigMap(
      modifierConfigMap(modifiersName, d.veleroNamespace, drillModifierRules({ drillS3Endpoint: drillMinioEndpoint(plan, mapping), drillExternalUrl: d.access.harborUrl, harborRelease: HARBOR_RELEASE }), { ...MANAGED_BY }),
    );
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

    const targets = await d.access.open(mapping);
    try {
      d.progress('filling the drill MinIO from the registry-data copy');
      const filled = await d.data.restoreCopy(copy, targets.s3);
      state.filled = { objects: filled.objects, bytes: filled.bytes };
      if (filled.missing.length || filled.failed.length) {
        const what = [...filled.missing.map((m) => `missing from the copy: blob ${m}`), ...filled.failed.map((f) => `not copied: ${f.key} (${f.reason})`)];
        throw new StepFailure('fill-minio', `the registry-data copy could not be restored: ${what.slice(0, 20).join('; ')}`);
      }
      if (clock.now() > deadline) throw new StepFailure('fill-minio', `filling MinIO passed the drill timeout of ${plan.drill.timeoutMinutes} min`);
      d.progress('verifying the restored registry against the inventory');
      state.verify = await d.data.verify(copy, targets.registry);
    } finally {
      await targets.close();
    }
    if (!state.verify.ok) throw new StepFailure('verify', [state.verify.summary, ...state.verify.problems.slice(0, 20)].join('; '));
    state.rtoMs = clock.now() - restoreStart;
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
    cleanup,
  };
}

/** For an unexpected error: the step the drill had reached. */
function stepOf(s: { backup?: string; copy?: RegistryCopyRef; restorePhase?: string; filled?: unknown }): DrillStep {
  if (s.filled) return 'verify';
  if (s.restorePhase) return 'fill-minio';
  if (s.copy) return 'restore';
  if (s.backup) return 'choose-copy';
  return 'choose-backup';
}

/** MinIO's in-cluster endpoint with its namespace swapped for the drill's. */
export function drillMinioEndpoint(plan: EnvironmentPlan, mapping: Record<string, string>): string {
  const url = new URL(plan.minio.endpoint);
  const drillNs = mapping[plan.minio.namespace]!;
  url.hostname = url.hostname.replace(`.${plan.minio.namespace}.svc`, `.${drillNs}.svc`);
  if (!url.hostname.includes(`.${drillNs}.svc`)) throw new Error(`MinIO endpoint ${plan.minio.endpoint} is not an in-cluster service URL of namespace ${plan.minio.namespace}; the drill cannot re-point it`);
  return url.origin;
}
