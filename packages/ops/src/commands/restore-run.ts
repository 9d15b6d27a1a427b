import { S3Client } from '@aws-sdk/client-s3';
import { planEnvironment } from '@harbor-platform/config';
import { parseNamespaces, type RESTORE_OPTIONS } from './restore-options.js';
import { UsageError, type Io } from '../cli/command.js';
import type { CommandArgs } from '../cli/declare.js';
import { loadEnvOption } from '../cli/environment.js';
import { reportTracker } from '../cli/report-tracker.js';
import { ClientNodeKube } from '../kube/client-node.js';
import { loadKubeconfig } from '../kube/kubeconfig.js';
import { publishReport } from '../report/publish.js';
import { ClusterLiveAccess, RegistryRestoreDataPath } from '../restore/adapters.js';
import { restoreHeadline, restoreMarkdown } from '../restore/report.js';
import { runRestore } from '../restore/run.js';
import type { RenderedObject } from '../steps/rendered-object.js';
import { realClock } from '../velero/wait.js';

/** `harbor-platform restore`: see the command's help in restore.ts. */
export async function runRestoreCommand(args: CommandArgs<typeof RESTORE_OPTIONS>, io: Io): Promise<number> {
  const { env, backup: backupName, confirm } = args.values;
  const namespaces = parseNamespaces(args.values.namespaces);
  if (confirm !== env) throw new UsageError(`refusing to restore: --confirm "${confirm}" does not equal the environment "${env}"`);
  const { config } = loadEnvOption(env);
  const tracker = args.values.report ? reportTracker(config, '--report') : undefined;
  const plan = planEnvironment(config);
  const kube = new ClientNodeKube(loadKubeconfig({ hint: { cluster: plan.names.cluster, region: plan.aws.region } }));
  const registryData = plan.backups.registryData;
  // Loaded here only: cdk8s is needed by the drill and the restore alone.
  const { buildManifests } = await import('@harbor-platform/manifests');
  const manifests = buildManifests(config, { plan }).app.charts.flatMap((c) => c.toJson() as RenderedObject[]);
  const result = await runRestore(
    { backupName, namespaces },
    {
      plan,
      veleroNamespace: plan.names.namespaces.velero,
      kube,
      data: new RegistryRestoreDataPath({ copy: { bucket: registryData.bucket, prefix: registryData.prefix.replace(/\/+$/, ''), endpoint: { region: config.aws.region } }, progress: io.err }),
      access: new ClusterLiveAccess(kube, plan),
      manifests,
      clock: realClock,
      progress: io.err,
      // The default chain, as the S3 client of the copy resolves it (the job's assumed role).
      credentials: () => new S3Client({ region: config.aws.region }).config.credentials(),
    },
  );
  await publishReport(config, { environment: plan.environment, kind: 'restore', healthy: result.ok, headline: restoreHeadline(result), body: restoreMarkdown(result) }, { io, tracker, reportFile: args.values['report-file'] });
  return result.ok ? 0 : 1;
}
