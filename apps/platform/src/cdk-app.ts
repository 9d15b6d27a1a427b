import { buildApp } from './app.js';
import { loadAllEnvironments } from './environments.js';

// The entry point of cdk.json (`cdk synth`, `cdk deploy <stack>`): the same app synth.ts writes.
const { environments, problems } = loadAllEnvironments();
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
buildApp(environments).app.synth();
