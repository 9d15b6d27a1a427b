import { capacityProblems } from './capacity.js';
import type { Problem, Warning } from '../problems.js';
import { TESTED_VERSIONS } from '../versions.js';
import { cidrError } from './network.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/**
 * Kubernetes minors the platform is built and checked for (the `kubernetes` row of
 * TESTED_VERSIONS; infra tests compare it with the kubectl layers installed).
 */
export const SUPPORTED_KUBERNETES_VERSIONS = TESTED_VERSIONS.kubernetes.versions;

export function checkAws(c: EnvironmentConfig, problems: Problem[], warnings: Warning[]): void {
  const azs = c.aws.availabilityZones;
  const zonePattern = new RegExp(`^${c.aws.region}[a-z]$`);
  if (azs.length !== 3) {
    problems.push({ path: 'aws.availabilityZones', message: `lists ${azs.length} zones; the platform spans exactly three`, fix: `list three zones of ${c.aws.region}, such as ${c.aws.region}a, ${c.aws.region}b, ${c.aws.region}c` });
  }
  azs.forEach((az, i) => {
    if (!zonePattern.test(az)) {
      problems.push({ path: `aws.availabilityZones[${i}]`, message: `"${az}" is not a zone of ${c.aws.region}`, fix: `use a name such as ${c.aws.region}a` });
    }
  });
  if (new Set(azs).size !== azs.length) {
    problems.push({ path: 'aws.availabilityZones', message: 'lists a zone twice', fix: 'list three distinct zones' });
  }
  const cidr = cidrError(c.network.vpcCidr, 16, 24);
  if (cidr) problems.push({ path: 'network.vpcCidr', message: cidr, fix: 'use a private range such as 10.20.0.0/16' });
  if (c.stage === 'prod' && c.network.natGateways !== 'perAz') {
    warnings.push({ path: 'network.natGateways', message: 'prod with a single NAT gateway loses egress when its AZ fails' });
  }

  const ng = c.cluster.nodeGroups;
  if (ng.minPerAz < 1) {
    problems.push({ path: 'cluster.nodeGroups.minPerAz', message: 'is 0, so an AZ can be left without nodes and its EBS-backed pods cannot start', fix: 'set minPerAz to at least 1 so every AZ keeps a node' });
  }
  if (ng.desiredPerAz < ng.minPerAz) {
    problems.push({ path: 'cluster.nodeGroups.desiredPerAz', message: `${ng.desiredPerAz} is below minPerAz ${ng.minPerAz}`, fix: `raise desiredPerAz to at least ${ng.minPerAz}` });
  }
  problems.push(...capacityProblems(c));

  if (!c.dns.harborHostname.endsWith(`.${c.dns.hostedZone}`) && c.dns.harborHostname !== c.dns.hostedZone) {
    problems.push({ path: 'dns.harborHostname', message: `"${c.dns.harborHostname}" is outside the hosted zone "${c.dns.hostedZone}"`, fix: `use a name under ${c.dns.hostedZone}` });
  }
  const certRegion = c.dns.certificateArn.split(':')[3];
  if (certRegion !== c.aws.region) {
    problems.push({ path: 'dns.certificateArn', message: `is in ${certRegion}, but the load balancer is in ${c.aws.region}`, fix: `use an ACM certificate issued in ${c.aws.region}` });
  }
}
