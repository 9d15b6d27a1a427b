/**
 * Test support shared by every package's conformance tests: upstream reference data in
 * `../shared/upstream`, Helm renderings of the upstream charts, the chart releases
 * the CDK app installs for every environment, and CRD validators.
 */
export * from './upstream.js';
export * from './helm.js';
export * from './chart-cases.js';
export * from './crds.js';
