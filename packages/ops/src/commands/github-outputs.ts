import type { EnvironmentPlan } from '@harbor-platform/config';
import { CommandError, UsageError } from '../cli/command.js';
import { defineCommand } from '../cli/declare.js';
import { readPlanFile } from '../cli/plan-file.js';

const ROLES = ['deploy', 'operations'] as const;
const IMAGES = ['minio', 'ops'] as const;

/**
 * The step outputs a workflow job takes from the plan, one `key=value` per line for
 * `$GITHUB_OUTPUT`: where to deploy (account, region, the role the job assumes, the cluster)
 * and Harbor's URL, namespace, hostname and hosted zone.
 */
export function roleOutputs(plan: EnvironmentPlan, role: (typeof ROLES)[number]): [string, string | undefined][] {
  return [
    ['account', plan.aws?.account],
    ['region', plan.aws?.region],
    ['role-arn', (role === 'deploy' ? plan.github?.deployRole : plan.github?.operationsRole)?.arn],
    ['cluster', plan.names?.cluster],
    ['harbor-url', plan.harbor?.url],
    ['harbor-namespace', plan.harbor?.namespace],
    ['harbor-hostname', plan.harbor?.hostname],
    ['hosted-zone-id', plan.harbor?.hostedZoneId],
  ];
}

export const githubOutputsCommand = defineCommand({
  name: 'github-outputs',
  usage: ['github-outputs --plan <plan.json> (--role <deploy|operations> | --image <minio|ops>)'],
  description: `Prints what a workflow step needs from an environment's plan.json, so the workflows
read the plan through the CLI instead of their own scripts.

With --role, one "key=value" line each for $GITHUB_OUTPUT: account, region, role-arn
(plan.github.deployRole or operationsRole), cluster (plan.names.cluster), harbor-url,
harbor-namespace, harbor-hostname and hosted-zone-id (plan.harbor).
With --image, one line for bash's "read -r built repository parameter": "true
<repositoryUri> <digestParameter>" for an image the platform builds, "false" for an
external one (plan.images).

A plan file that is missing, not JSON or of another formatVersion is refused in one line.`,
  options: {
    plan: { type: 'string', placeholder: '<plan.json>', required: true, description: 'the plan ("harbor-platform plan --json", or the one "npm run synth" writes)' },
    role: { type: 'string', placeholder: '<deploy|operations>', description: 'print the job outputs for the role the job assumes' },
    image: { type: 'string', placeholder: '<minio|ops>', description: 'print whether the platform builds this image, and where it goes' },
  },
  exitStatus: '0 printed, 1 the plan file is refused, 2 usage',
  async run(args, io) {
    const { role, image } = args.values;
    if ((role === undefined) === (image === undefined)) throw new UsageError('give --role <deploy|operations> or --image <minio|ops>, one of them');
    if (role !== undefined && !isOneOf(role, ROLES)) throw new UsageError(`--role: "${role}" is not a role: use ${ROLES.join(' or ')}`);
    if (image !== undefined && !isOneOf(image, IMAGES)) throw new UsageError(`--image: "${image}" is not an image the platform can build: use ${IMAGES.join(' or ')}`);
    const file = args.values.plan;
    const plan = readPlanFile(file, '--plan');
    if (role !== undefined) {
      const outputs = roleOutputs(plan, role);
      const missing = outputs.find(([, v]) => typeof v !== 'string' || v === '' || /[\r\n]/.test(v));
      if (missing) throw new CommandError(`--plan ${file}: ${missing[0]}: has no value in the plan: write the plan again with this CLI ("harbor-platform plan --json")`);
      io.out(outputs.map(([k, v]) => `${k}=${v}`).join('\n'));
      return 0;
    }
    // A file, not a trusted object: each field is checked before it is printed.
    const planned = plan.images?.[image as (typeof IMAGES)[number]] as unknown as Record<string, unknown> | undefined;
    const again = 'write the plan again with this CLI ("harbor-platform plan --json")';
    if (!planned) throw new CommandError(`--plan ${file}: images.${image}: is missing: ${again}`);
    if (typeof planned.built !== 'boolean') throw new CommandError(`--plan ${file}: images.${image}.built: is not true or false: ${again}`);
    if (!planned.built) {
      io.out('false');
      return 0;
    }
    // One line that bash's `read -r built repository parameter` splits on blanks: each field one word.
    const fields = (['repositoryUri', 'digestParameter'] as const).map((k) => [k, planned[k]] as const);
    const bad = fields.find(([, v]) => typeof v !== 'string' || !/^\S+$/.test(v));
    if (bad) throw new CommandError(`--plan ${file}: images.${image}.${bad[0]}: has no value in the plan, or a blank in it: ${again}`);
    io.out(`true ${fields.map(([, v]) => v).join(' ')}`);
    return 0;
  },
});

function isOneOf<T extends string>(value: string, list: readonly T[]): value is T {
  return (list as readonly string[]).includes(value);
}
