import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { rawEnvironment } from './util.js';
import { crossEnvironmentProblems, formatProblem, loadEnvironmentText, type EnvironmentConfig } from '../src/index.js';

function load(raw: any): EnvironmentConfig {
  const r = loadEnvironmentText(stringify(raw), raw.name);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.config;
}

const prod = () => ({ file: 'environments/prod.yaml', config: load(rawEnvironment('prod')) });
const dev = () => ({ file: 'environments/dev.yaml', config: load(rawEnvironment('dev')) });

describe('environments copied from another', () => {
  it('the committed environments share nothing they must not', () => {
    expect(crossEnvironmentProblems(dev(), [prod()])).toEqual([]);
    expect(crossEnvironmentProblems(prod(), [dev()])).toEqual([]);
  });

  it('a copy of prod renamed to qa only: refused on each bucket, secret and the VPC range, naming prod.yaml and the field', () => {
    const raw = rawEnvironment('prod');
    raw.name = 'qa';
    const qa = { file: 'environments/qa.yaml', config: load(raw) };
    const lines = crossEnvironmentProblems(qa, [dev(), prod()]).map(formatProblem);
    const bucket = prod().config.velero.backupBucket;
    expect(lines).toContain(`velero.backupBucket: "${bucket}" is also the velero.backupBucket of environments/prod.yaml (S3 bucket names are global: the two environments would write one bucket): give qa its own bucket, such as harbor-platform-qa-backups-${qa.config.aws.account}`);
    expect(lines).toContain(`registryBackup.bucket: "${bucket}" is also the velero.backupBucket of environments/prod.yaml (S3 bucket names are global: the two environments would write one bucket): give qa its own bucket, such as harbor-platform-qa-backups-${qa.config.aws.account}`);
    expect(lines).toContain('minio.rootCredentialsSecret: names the secret "harbor-platform/prod/minio-root" that environments/prod.yaml uses as minio.rootCredentialsSecret, in the same account and region: give qa its own secrets, such as harbor-platform/qa/minio-root');
    expect(lines).toContain(`network.vpcCidr: ${qa.config.network.vpcCidr} is the network.vpcCidr of environments/prod.yaml (${qa.config.network.vpcCidr}) in the same account ${qa.config.aws.account}: give each VPC of an account its own range, so they can be peered or routed later`);
    const [first, ...rest] = qa.config.dns.harborHostname.split('.');
    expect(lines).toContain(`dns.harborHostname: "${qa.config.dns.harborHostname}" is also the dns.harborHostname of environments/prod.yaml (one name has one record: the two environments' ExternalDNS would each point it at their own load balancer): give qa its own hostname, such as ${[`${first}-qa`, ...rest].join('.')}`);
    expect(lines).toContain(`github.environment: "prod" is also the github.environment of environments/prod.yaml in ${qa.config.github.owner}/${qa.config.github.repo} (each environment's roles trust the jobs of its GitHub environment: one environment's jobs could assume the other's roles): give qa its own GitHub environment, such as qa, and create it with harbor-platform github-setup`);
    expect(lines.every((l) => !l.includes('environments/dev.yaml'))).toBe(true);
  });

  it("a copy of dev keeps dev's hostname: refused with the hostname the copy's name gives", () => {
    const raw = rawEnvironment('dev');
    raw.name = 'staging';
    const staging = { file: 'environments/staging.yaml', config: load(raw) };
    const lines = crossEnvironmentProblems(staging, [dev()]).map(formatProblem);
    expect(lines).toContain('dns.harborHostname: "harbor.dev.example.com" is also the dns.harborHostname of environments/dev.yaml (one name has one record: the two environments\' ExternalDNS would each point it at their own load balancer): give staging its own hostname, such as harbor.staging.example.com');
  });

  it("prod given dev's bucket: dev is told its name is its own and to rename the other file's, prod is given its own name", () => {
    const raw = rawEnvironment('prod');
    raw.velero.backupBucket = dev().config.velero.backupBucket;
    const copied = { file: 'environments/prod.yaml', config: load(raw) };
    const bucket = dev().config.velero.backupBucket;
    const onDev = crossEnvironmentProblems(dev(), [copied]).map(formatProblem);
    expect(onDev).toEqual([
      `velero.backupBucket: "${bucket}" is also the velero.backupBucket of environments/prod.yaml (S3 bucket names are global: the two environments would write one bucket): "${bucket}" is dev's own name: give the environment of environments/prod.yaml its own bucket there`,
      `registryBackup.bucket: "${bucket}" is also the velero.backupBucket of environments/prod.yaml (S3 bucket names are global: the two environments would write one bucket): "${bucket}" is dev's own name: give the environment of environments/prod.yaml its own bucket there`,
    ]);
    const onProd = crossEnvironmentProblems(copied, [dev()]).map(formatProblem);
    expect(onProd).toEqual([
      `velero.backupBucket: "${bucket}" is also the velero.backupBucket of environments/dev.yaml (S3 bucket names are global: the two environments would write one bucket): give prod its own bucket, such as harbor-platform-prod-backups-${copied.config.aws.account}`,
    ]);
  });

  it('secrets and VPC ranges may repeat in another account; buckets may not', () => {
    const raw = rawEnvironment('prod');
    raw.name = 'qa';
    raw.aws.account = '333333333333';
    raw.github.oidcProviderArn = undefined;
    const lines = crossEnvironmentProblems({ file: 'environments/qa.yaml', config: load(JSON.parse(JSON.stringify(raw))) }, [prod()]).map(formatProblem);
    // A name in DNS and a GitHub environment of the one repository are shared whatever the account.
    expect(lines.map((l) => l.split(':')[0])).toEqual(['velero.backupBucket', 'registryBackup.bucket', 'dns.harborHostname', 'github.environment']);
  });

  it('an overlapping range in the same account is refused too', () => {
    const raw = rawEnvironment('dev');
    raw.name = 'qa';
    raw.velero.backupBucket = 'harbor-platform-qa-backups-111111111111';
    raw.registryBackup.bucket = 'harbor-platform-qa-backups-111111111111';
    raw.network.vpcCidr = '10.20.128.0/17';
    raw.dns.harborHostname = 'harbor-qa.dev.example.com';
    raw.harbor.externalUrl = 'https://harbor-qa.dev.example.com';
    raw.github.environment = 'qa';
    for (const [section, key] of [['minio', 'rootCredentialsSecret'], ['minio', 'harborCredentialsSecret'], ['harbor', 'adminPasswordSecret'], ['harbor', 'internalSecretsSecret'], ['harbor', 'tokenSigningSecret'], ['ldap', 'bindPasswordSecret']]) {
      raw[section][key] = raw[section][key].replace('/dev/', '/qa/');
    }
    const lines = crossEnvironmentProblems({ file: 'environments/qa.yaml', config: load(raw) }, [dev()]).map(formatProblem);
    expect(lines).toEqual(['network.vpcCidr: 10.20.128.0/17 overlaps the network.vpcCidr of environments/dev.yaml (10.20.0.0/16) in the same account 111111111111: give each VPC of an account its own range, so they can be peered or routed later']);
  });
});
