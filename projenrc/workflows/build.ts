import { Component, type Project } from 'projen';
import { checkout, install, readOnly, RUNNER, setupNode, synthOutputs, type WorkflowProps } from './steps';
import { createWorkflow } from './workflow-file';
import { VERSIONS } from '../versions';
import { WORKFLOW_TESTS_CONFIG } from '../workflow-tests';

export interface BuildWorkflowProps extends WorkflowProps {
  /**
   * The job's `timeout-minutes`. First Go builds of MinIO, mc and helm take about 20 minutes
   * on a 2-core runner; the tests about 25.
   * @default 90
   */
  readonly timeoutMinutes?: number;
  /** Days the synthesized assembly and manifests are kept. @default 7 */
  readonly retentionDays?: number;
  /** The vitest config of the workflow tests (the step that runs actionlint). @default WORKFLOW_TESTS_CONFIG (projenrc/vitest.config.mts) */
  readonly workflowTestsConfig?: string;
}

/**
 * build.yml: on pull requests and pushes to main, installs, checks that projen regenerates
 * nothing, lints, runs every test (the local stack as root), synthesizes, lints the workflows
 * and uploads the synthesized outputs.
 */
export class BuildWorkflow extends Component {
  constructor(project: Project, props: BuildWorkflowProps) {
    super(project, 'BuildWorkflow');
    const wf = createWorkflow(project, 'build');
    wf.on({ pullRequest: {}, push: { branches: ['main'] } });
    wf.file!.addOverride('concurrency', { 'group': 'build-${{ github.ref }}', 'cancel-in-progress': true });
    wf.addJobs({
      build: {
        name: 'Build, test and synthesize',
        runsOn: RUNNER,
        permissions: readOnly,
        timeoutMinutes: props.timeoutMinutes ?? 90,
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
          { name: 'Lint the workflows (actionlint)', run: `npx vitest run --config ${props.workflowTestsConfig ?? WORKFLOW_TESTS_CONFIG} test/workflows.test.ts` },
          {
            name: 'Upload the cloud assembly and manifests',
            uses: 'actions/upload-artifact',
            with: { 'name': 'synth-output', 'path': synthOutputs(props.workspaces).join('\n'), 'if-no-files-found': 'error', 'retention-days': props.retentionDays ?? 7 },
          },
        ],
      },
    });
  }
}
