import { planEnvironment } from '@harbor-platform/config';
import type { DRILL_GROUPS, DRILL_OPTIONS } from './drill-options.js';
import type { Io } from '../cli/command.js';
import type { CommandArgs } from '../cli/declare.js';
import { loadConfigOption } from '../cli/environment.js';
import { reportTracker } from '../cli/report-tracker.js';
import { cleanUpDrill } from '../drill/cleanup.js';
import { ClusterDrillAccess } from '../drill/cluster-access.js';
import { drillHeadline, drillMarkdown } from '../drill/report.js';
import { runDrill } from '../drill/run.js';
import { ClientNodeKube } from '../kube/client-node.js';
import { publishReport } from '../report/publish.js';
import { RegistryDataPath } from '../steps/registry-data-path.js';
import type { RenderedObject } from '../steps/rendered-object.js';
import { realClock } from '../velero/wait.js';

/** `harbor-platform drill`: see the command's help in drill.ts. */
export async function runDrillCommand(args: CommandArgs<typeof DRILL_OPTIONS, typeof DRILL_GROUPS>, io: Io): Promise<number> {
  const { config } = loadConfigOption(args, io);
  // Before the drill's long run: a missing token fails now, not after it.
  const tracker = args.values.report && !args.values['cleanup-only'] ? reportTracker(config, '--report') : undefined;
  const plan = planEnvironment(config);
  const kube = new ClientNodeKube();
  const veleroNamespace = plan.names.namespaces.velero;
  if (args.values['cleanup-only']) {
    const result = await cleanUpDrill(kube, plan, veleroNamespace, plan.names.drillModifiersConfigMap, realClock, io.err);
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
  await publishReport(config, { environment: plan.environment, kind: 'drill', healthy: result.ok, headline: drillHeadline(result), body: drillMarkdown(result) }, { io, tracker, reportFile: args.values['report-file'] });
  return result.ok ? 0 : 1;
}
