/**
 * Test support shared by every package's conformance tests: upstream reference data in
 * `../shared/upstream`, Helm renderings of the upstream charts, the chart releases
 * the CDK app installs for every environment, CRD validators, and the committed environments
 * validated and planned (the one environment loader of every package's tests).
 */
export * from './upstream.js';
export * from './helm.js';
export * from './chart-cases.js';
export * from './crds.js';
export * from './environments.js';
