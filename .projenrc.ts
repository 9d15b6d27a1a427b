import { javascript, typescript } from 'projen';
import { addWorkspaces, WORKSPACES } from './projenrc/workspaces';
import { addTurbo } from './projenrc/turbo';
import { addWorkflows } from './projenrc/workflows';
import { addWorkflowTests } from './projenrc/workflow-tests';
import { VERSIONS } from './projenrc/versions';

// The root only orchestrates: every package builds and tests through turbo.
const root = new typescript.TypeScriptProject({
  name: 'harbor-platform',
  description: 'A highly available private container registry (Harbor on EKS, MinIO across three AZs, Velero) as code.',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenVersion: VERSIONS.projen,
  typescriptVersion: VERSIONS.typescript,
  minNodeVersion: VERSIONS.minNode,
  sampleCode: false,
  jest: false,
  eslint: false,
  package: false,
  licensed: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  github: true,
  githubOptions: { pullRequestLint: false, mergify: false },
  devDeps: [`turbo@${VERSIONS.turbo}`, `tsx@${VERSIONS.tsx}`, `esbuild@${VERSIONS.esbuild}`, 'ts-node@^10.9.2'],
  gitignore: ['.turbo/', '.local-stack/', 'cdk.out/', 'apps/platform/dist/', '.bench/'],
  tsconfig: { include: [] },
  // The root has no tests (each workspace has its own): no test/tsconfig.json, no empty test/ folder.
  disableTsconfigDev: true,
});

// turbo refuses to run without an exact packageManager; projen never writes it for npm.
root.package.addField('packageManager', `npm@${VERSIONS.npm}`);

const workspaces = addWorkspaces(root, WORKSPACES);
addTurbo(root, workspaces);
addWorkflowTests(root);
addWorkflows(root, workspaces);

root.synth();
