import { DRILL_GROUPS, DRILL_OPTIONS } from './drill-options.js';
import { defineCommand } from '../cli/declare.js';
import { KUBECONFIG_VARIABLE } from '../cli/environment-variables.js';

export const drillCommand = defineCommand({
  name: 'drill',
  description: `Restores the newest Completed scheduled Velero backup into the drill namespaces
(plan.drill.namespaces) with resource modifiers that point the restored registry at
the drill's own, empty MinIO and keep the restored Harbor off the public hostname;
fills that MinIO from the newest registry-data copy (as registry-restore does);
verifies the restored registry against the copy's inventory (every blob re-hashed);
reports RTO (restore start to verified) and RPO (age of the older backup). Then,
unless velero.drill.zoneLoss.enabled is false, the AZ-loss step: the drill MinIO's
StatefulSets of one AZ (velero.drill.zoneLoss.zone, default by rotation) are scaled to
zero, sampled images are pulled back exactly and a synthetic one is pushed where the
plan says writes survive (a clean, bounded refusal where it says they do not), the AZ
is scaled back, and the registry is verified again once healed; the report gives the
times to detect the loss and to heal beside RTO and RPO. The drill
namespaces and their volumes are deleted on every path. Waits are bounded by the
environment's velero.drill.timeoutMinutes.

Uses the current kubeconfig context and the AWS credentials of the environment
(the registry-data copy is read from S3). Progress goes to stderr.`,
  groups: DRILL_GROUPS,
  environment: [KUBECONFIG_VARIABLE],
  options: DRILL_OPTIONS,
  exitStatus: '0 passed (or cleaned up), 1 failed, 2 usage',
  // The implementation (Kubernetes, AWS and GitHub clients) loads only when this command runs.
  run: async (args, io) => (await import('./drill-run.js')).runDrillCommand(args, io),
});
