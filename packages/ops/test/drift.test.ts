import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { plannedEnvironment } from '@harbor-platform/config/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudFormationInspector } from '../src/aws/cloudformation.js';
import { main } from '../src/cli.js';
import { environmentStacks } from '../src/drift/assembly.js';
import { interpretKubectlDiff, kubectlDiff } from '../src/drift/kubectl-diff.js';
import { driftMarkdown, judgeDrift } from '../src/drift/report.js';
import { checkDrift } from '../src/drift/run.js';
import { diffTemplates } from '../src/drift/template-diff.js';

const cfn = mockClient(CloudFormationClient);
afterEach(() => cfn.reset());

const inspector = (progress?: (l: string) => void) =>
  new CloudFormationInspector({ client: new CloudFormationClient({ region: 'ap-northeast-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), pollMs: 5_000, timeoutMs: 30_000, sleep: async () => undefined, progress });

const TEMPLATE = JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } } }, Outputs: { RoleArn: { Value: 'x' } } });

describe('CloudFormation drift detection (DetectStackDrift responses)', () => {
  it('IN_SYNC maps to in-sync after polling while in progress', async () => {
    cfn.on(DetectStackDriftCommand, { StackName: 'dev-platform' }).resolves({ StackDriftDetectionId: 'det-1' });
    cfn
      .on(DescribeStackDriftDetectionStatusCommand, { StackDriftDetectionId: 'det-1' })
      .resolvesOnce({ StackId: 's', StackDriftDetectionId: 'det-1', DetectionStatus: 'DETECTION_IN_PROGRESS', Timestamp: new Date() })
      .resolves({ StackId: 's', StackDriftDetectionId: 'det-1', DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'IN_SYNC', DriftedStackResourceCount: 0, Timestamp: new Date() });
    const lines: string[] = [];
    expect(await inspector((l) => lines.push(l)).detectDrift('dev-platform')).toEqual({ stack: 'dev-platform', outcome: 'in-sync' });
    expect(lines).toEqual(['  dev-platform: drift detection in progress (5s)']);
    expect(cfn.commandCalls(DescribeStackResourceDriftsCommand)).toHaveLength(0);
  });

  it('DRIFTED maps to drifted with every MODIFIED/DELETED resource, across pages', async () => {
    cfn.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'det-2' });
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({ StackId: 's', StackDriftDetectionId: 'det-2', DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'DRIFTED', DriftedStackResourceCount: 2, Timestamp: new Date() });
    cfn
      .on(DescribeStackResourceDriftsCommand)
      .resolvesOnce({
        StackResourceDrifts: [
          {
            StackId: 's',
            LogicalResourceId: 'Bucket',
            PhysicalResourceId: 'harbor-platform-dev-backups',
            ResourceType: 'AWS::S3::Bucket',
            StackResourceDriftStatus: 'MODIFIED',
            Timestamp: new Date(),
            PropertyDifferences: [{ PropertyPath: '/VersioningConfiguration/Status', ExpectedValue: 'Enabled', ActualValue: 'Suspended', DifferenceType: 'NOT_EQUAL' }],
          },
        ],
        NextToken: 'page-2',
      })
      .resolves({ StackResourceDrifts: [{ StackId: 's', LogicalResourceId: 'Key', ResourceType: 'AWS::KMS::Key', StackResourceDriftStatus: 'DELETED', Timestamp: new Date() }] });
    const r = await inspector().detectDrift('dev-platform');
    expect(r.outcome).toBe('drifted');
    expect(r.outcome === 'drifted' && r.resources.map((x) => `${x.logicalId}:${x.status}:${x.properties.map((p) => `${p.path}=${p.actual}`).join(',')}`)).toEqual([
      'Bucket:MODIFIED:/VersioningConfiguration/Status=Suspended',
      'Key:DELETED:',
    ]);
    expect(cfn.commandCalls(DescribeStackResourceDriftsCommand)[0]!.args[0].input.StackResourceDriftStatusFilters).toEqual(['MODIFIED', 'DELETED']);
    expect(cfn.commandCalls(DescribeStackResourceDriftsCommand)[1]!.args[0].input.NextToken).toBe('page-2');
  });

  it('DETECTION_FAILED maps to failed (an error, not drift) with the reason', async () => {
    cfn.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'det-3' });
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({
      StackId: 's',
      StackDriftDetectionId: 'det-3',
      DetectionStatus: 'DETECTION_FAILED',
      StackDriftStatus: 'DRIFTED',
      DetectionStatusReason: 'Failed to detect drift on resource [Cluster]: Access denied for operation eks:DescribeCluster',
      Timestamp: new Date(),
    });
    expect(await inspector().detectDrift('dev-platform')).toEqual({ stack: 'dev-platform', outcome: 'failed', reason: 'drift detection failed: Failed to detect drift on resource [Cluster]: Access denied for operation eks:DescribeCluster' });
  });

  it('a detection that never finishes fails after the bound', async () => {
    cfn.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'det-4' });
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({ StackId: 's', StackDriftDetectionId: 'det-4', DetectionStatus: 'DETECTION_IN_PROGRESS', Timestamp: new Date() });
    const r = await inspector().detectDrift('dev-platform');
    expect(r).toEqual({ stack: 'dev-platform', outcome: 'failed', reason: 'drift detection did not finish within 30s' });
    expect(cfn.commandCalls(DescribeStackDriftDetectionStatusCommand)).toHaveLength(6);
  });

  it('a stack that does not exist is failed detection, and has no deployed template', async () => {
    const err = Object.assign(new Error('Stack with id dev-platform does not exist'), { name: 'ValidationError' });
    cfn.on(DetectStackDriftCommand).rejects(err);
    cfn.on(GetTemplateCommand).rejects(err);
    expect(await inspector().detectDrift('dev-platform')).toMatchObject({ outcome: 'failed', reason: 'DetectStackDrift: ValidationError: Stack with id dev-platform does not exist' });
    expect(await inspector().deployedTemplate('dev-platform')).toBeUndefined();
  });

  it('reads the deployed template as deployed (Original stage)', async () => {
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
    expect(await inspector().deployedTemplate('dev-platform')).toBe(TEMPLATE);
    expect(cfn.commandCalls(GetTemplateCommand)[0]!.args[0].input).toEqual({ StackName: 'dev-platform', TemplateStage: 'Original' });
  });
});

/** A stand-in kubectl that exits with $STUB_KUBECTL_EXIT and records its arguments. */
function stubKubectl(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hp-kubectl-'));
  const file = join(dir, 'kubectl');
  writeFileSync(
    file,
    `#!/bin/sh
echo "$@" > "${dir}/args"
case "$STUB_KUBECTL_EXIT" in
  0) exit 0 ;;
  1) printf 'diff -u -N /tmp/LIVE/apps.v1.StatefulSet.minio.minio-p0-z0 /tmp/MERGED/apps.v1.StatefulSet.minio.minio-p0-z0\\n-  replicas: 1\\n+  replicas: 2\\n'; exit 1 ;;
  *) echo 'error: You must be logged in to the server (Unauthorized)' >&2; exit "$STUB_KUBECTL_EXIT" ;;
esac
`,
  );
  chmodSync(file, 0o755);
  return file;
}

describe('kubectl diff exit codes', () => {
  const kubectl = stubKubectl();
  const run = (code: number) => kubectlDiff({ path: '/manifests', kubectl, env: { ...process.env, STUB_KUBECTL_EXIT: String(code) }, timeoutMs: 10_000 });

  it('0 means no differences', async () => {
    expect(await run(0)).toEqual({ outcome: 'in-sync' });
  });

  it('1 means differences, with the diff', async () => {
    const r = await run(1);
    expect(r.outcome).toBe('drifted');
    expect(r.outcome === 'drifted' && r.diff).toMatch(/\+ {2}replicas: 2/);
  });

  it('2 is an error, not drift, with kubectl\'s reason', async () => {
    expect(await run(2)).toEqual({ outcome: 'failed', exitCode: 2, reason: 'error: You must be logged in to the server (Unauthorized)' });
  });

  it('a missing kubectl is an error', async () => {
    const r = await kubectlDiff({ path: '/m', kubectl: '/nonexistent/kubectl', timeoutMs: 10_000 });
    expect(r.outcome).toBe('failed');
  });

  it('compares the whole manifests folder recursively', async () => {
    await run(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(kubectl, '..', 'args'), 'utf8').trim()).toBe('diff --recursive -f /manifests');
  });

  it('a kubectl killed by the timeout is an error', () => {
    expect(interpretKubectlDiff(null, '', 'signal SIGTERM')).toMatchObject({ outcome: 'failed', reason: 'kubectl did not finish: signal SIGTERM' });
  });
});

describe('template diff', () => {
  it('finds added, removed and changed entries by section and logical id', () => {
    const deployed = JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' }, Old: { Type: 'AWS::SNS::Topic' } }, Outputs: { RoleArn: { Value: 'x' } } });
    expect(diffTemplates(TEMPLATE, deployed)).toEqual({ added: [], removed: ['Resources/Old'], changed: ['Resources/Bucket'] });
    expect(diffTemplates(TEMPLATE, TEMPLATE)).toEqual({ added: [], removed: [], changed: [] });
  });

  it('a template that is not JSON is an error', () => {
    expect(() => diffTemplates(TEMPLATE, 'Resources:\n  X: !Ref Y')).toThrow(/deployed template is not JSON/);
  });
});

const DEV = { account: '111111111111', region: 'ap-northeast-2' };
const PROD = { account: '222222222222', region: 'ap-northeast-2' };

/**
 * A cloud assembly laid out as apps/platform synthesizes it (top-level stacks named
 * harbor-platform-<env> and harbor-platform-<env>-github, each with its account), plus a
 * nested (stage) assembly whose stack shares dev's account: it must not be taken for dev's.
 */
function assembly(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hp-cdkout-'));
  mkdirSync(join(dir, 'assembly-devtools'));
  const stack = (name: string, env: { account: string; region: string }) => ({ type: 'aws:cloudformation:stack', environment: `aws://${env.account}/${env.region}`, displayName: name, properties: { templateFile: `${name}.template.json` } });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    version: '48.0.0',
    artifacts: {
      'harbor-platform-dev-github': stack('harbor-platform-dev-github', DEV),
      'harbor-platform-dev': stack('harbor-platform-dev', DEV),
      'harbor-platform-prod': stack('harbor-platform-prod', PROD),
      'assembly-devtools': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-devtools', displayName: 'devtools' } },
      'Tree': { type: 'cdk:tree', properties: { file: 'tree.json' } },
    },
  }));
  writeFileSync(join(dir, 'assembly-devtools', 'manifest.json'), JSON.stringify({
    version: '48.0.0',
    artifacts: {
      'devtools-Runner': stack('devtools/Runner', DEV),
    },
  }));
  for (const name of ['harbor-platform-dev-github', 'harbor-platform-dev', 'harbor-platform-prod']) writeFileSync(join(dir, `${name}.template.json`), TEMPLATE);
  writeFileSync(join(dir, 'assembly-devtools', 'devtools/Runner.template.json'.replace('/', '-')), TEMPLATE);
  return dir;
}

describe('drift of one environment', () => {
  it("finds only that environment's stacks: the plan's stack names, in its account and region", () => {
    const dir = assembly();
    const names = (env: string) => Object.values(plannedEnvironment(env).plan.names.stacks);
    expect(environmentStacks(dir, names('dev'), DEV).map((s) => s.stackName)).toEqual(['harbor-platform-dev', 'harbor-platform-dev-github']);
    expect(environmentStacks(dir, names('prod'), PROD).map((s) => s.stackName)).toEqual(['harbor-platform-prod']);
    expect(environmentStacks(dir, names('prod'), DEV)).toEqual([]);
    // Only the names asked for: the same environment's GitHub stack is left out.
    expect(environmentStacks(dir, ['harbor-platform-dev'], DEV).map((s) => s.stackName)).toEqual(['harbor-platform-dev']);
    expect(() => environmentStacks(join(dir, 'nope'), names('dev'), DEV)).toThrow(/run "npm run synth" first/);
  });

  it('in sync everywhere is in-sync', async () => {
    cfn.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'd' });
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({ StackId: 's', StackDriftDetectionId: 'd', DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'IN_SYNC', Timestamp: new Date() });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
    const { verdict } = await checkDrift({ environment: 'dev', stacks: plannedEnvironment('dev').plan.names.stacks, target: DEV, assemblyDir: assembly(), inspector: inspector(), diffManifests: async () => ({ outcome: 'in-sync' }) });
    expect(verdict).toEqual({ status: 'in-sync', drifted: [], errors: [] });
  });

  it('kubectl differences alone are drift', async () => {
    cfn.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'd' });
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({ StackId: 's', StackDriftDetectionId: 'd', DetectionStatus: 'DETECTION_COMPLETE', StackDriftStatus: 'IN_SYNC', Timestamp: new Date() });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: TEMPLATE });
    const { findings, verdict } = await checkDrift({ environment: 'dev', stacks: plannedEnvironment('dev').plan.names.stacks, target: DEV, assemblyDir: assembly(), inspector: inspector(), diffManifests: async () => ({ outcome: 'drifted', diff: '-  replicas: 1\n+  replicas: 2' }) });
    expect(verdict.status).toBe('drift');
    expect(driftMarkdown(findings, verdict)).toMatch(/## Drift of dev: DRIFT FOUND[\s\S]*```diff\n-  replicas: 1/);
  });

  it('an error wins over drift: a failed kubectl diff is reported as a check that could not run', () => {
    const v = judgeDrift({
      environment: 'dev',
      stacks: [{ stack: 'a', outcome: 'drifted', resources: [] }],
      templates: [{ stack: 'a', outcome: 'not-deployed' }],
      manifests: { outcome: 'failed', exitCode: 2, reason: 'Unauthorized' },
    });
    expect(v.status).toBe('error');
    expect(v.errors).toEqual(['kubectl diff failed (exit 2): Unauthorized']);
    expect(v.drifted).toEqual(['stack a: 0 resource(s) drifted', 'stack a: not deployed']);
  });
});

describe('drift --help', () => {
  it('says what access the check needs: dry-run-only Kubernetes writes for kubectl diff, read-only AWS calls', async () => {
    const out: string[] = [];
    expect(await main(['drift', '--help'], { out: (t: string) => out.push(t), err: (t: string) => out.push(t) })).toBe(0);
    const help = out.join('\n');
    expect(help).toMatch(/operations role, harbor-platform-<env>-github-operations/);
    expect(help).toMatch(/get, list, patch and create on exactly the kinds of the\s+synthesized manifests/);
    expect(help).toMatch(/server-side dry run/);
    expect(help).toMatch(/ValidatingAdmissionPolicy\s+harbor-platform-operations-dry-run-only denies every write of the group that is not a\s+dry run/);
    expect(help).toMatch(/cloudformation:DetectStackDrift/);
  });
});
