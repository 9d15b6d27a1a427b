import { planEnvironment } from '@harbor-platform/config';
import type { Command } from '../cli/command.js';
import { loadConfigOption } from '../cli/environment.js';
import { cleanUpDrill } from '../drill/cleanup.js';
import { ClusterDrillAccess } from '../drill/cluster-access.js';
import type { RenderedObject } from '../drill/isolation.js';
import { RegistryDataPath } from '../drill/registry-data-path.js';
import { drillHeadline, drillMarkdown } from '../drill/report.js';
import { runDrill } from '../drill/run.js';
import { ClientNodeKube } from '../kube/client-node.js';
import { publishReport } from '../report/publish.js';
import { realClock } from '../velero/wait.js';

export const drillCommand: Command = {
  name: 'drill',
  summary: 'Restore the latest backups into drill namespaces, verify, record RTO/RPO, clean up',
  help: `drill (--env <name> | --config <file>) [--report] [--cleanup-only]

Restores the newest Completed scheduled Velero backup into the drill namespaces
(plan.drill.namespaces) with resource modifiers that point the restored registry at
the drill's own, empty MinIO and keep the restored Harbor off the public hostname;
fills that MinIO from the newest registry-data copy (as registry-restore does);
verifies the restored registry against the copy's inventory (every blob re-hashed);
reports RTO (restore start to verified) and RPO (age of the older backup). The drill
namespaces and their volumes are deleted on every path. Waits are bounded by the
environment's velero.drill.timeoutMinutes.

Uses the current kubeconfig context and the AWS credentials of the environment
(the registry-data copy is read from S3). Progress goes to stderr.

options:
  --env <name>      an environment in environments/
  --config <file>   an environment file anywhere
  --report          open, update or close the environment's drill issue (needs GITHUB_TOKEN)
  --cleanup-only    only delete drill namespaces, volumes and the modifier ConfigMap

exit status: 0 passed (or cleaned up), 1 failed, 2 usage`,
  options: { 'env': { type: 'string' }, 'config': { type: 'string' }, 'report': { type: 'boolean' }, 'cleanup-only': { type: 'boolean' } },
  async run(args, io) {
    const { config } = loadConfigOption(args, io);
    const plan = planEnvironment(config);
    const kube = new ClientNodeKube();
    const veleroNamespace = config.velero.namespace;
    if (args.values['cleanup-only']) {
      const result = await cleanUpDrill(kube, plan, veleroNamespace, plan.drill.modifiersConfigMap, realClock, io.err);
      io.out(result.ok ? `clean-up of ${plan.environment}'s drill: done (${[...result.namespaces, ...result.volumes].join(', ') || 'nothing left'})` : `clean-up FAILED: ${result.problems.join('; ')}`);
      return result.ok ? 0 : 1;
    }
    const registryData = plan.backups.registryData;
    // Loaded here only: cdk8s is needed by the drill alone.
    const { buildManifests } = await import('@harbor-platform/manifests');
    const manifests = buildManifests(config, { plan }).app.charts.flatMap((c) => c.toJson() as RenderedObject[]);
    const result = await runDrill({
      plan,
      veleroNamespace,
      kube,
      data: new RegistryDataPath({ copy: { bucket: registryData.bucket, prefix: registryData.prefix.replace(/\/+$/, ''), endpoint: { region: config.aws.region } }, progress: io.err }),
      access: new ClusterDrillAccess(kube, plan),
      manifests,
      clock: realClock,
      progress: io.err,
    });
    await publishReport(config, { environment: plan.environment, kind: 'drill', healthy: result.ok, headline: drillHeadline(result), body: drillMarkdown(result) }, { io, toIssue: Boolean(args.values.report) });
    return result.ok ? 0 : 1;
  },
};
