import type { Problem, Warning } from '../problems.js';
import { checkAws } from './aws.js';
import { checkBackupRetention } from './backup-retention.js';
import { checkBackups } from './backups.js';
import { checkGithubIdentity } from './github.js';
import { checkHarbor } from './harbor.js';
import { checkLdap } from './ldap.js';
import { checkMinio } from './minio.js';
import { checkStateTiers } from './state-tiers.js';
import { checkWorkloads } from './workloads.js';
import type { EnvironmentConfig } from '../schema/environment.js';
import { checkVersions } from '../versions.js';

/** Cross-field rules over a structurally valid config; every problem at once. */
export function checkEnvironment(config: EnvironmentConfig, expectedName?: string): { problems: Problem[]; warnings: Warning[] } {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  if (expectedName && config.name !== expectedName) {
    problems.push({ path: 'name', message: `"${config.name}" differs from the file name "${expectedName}"`, fix: `rename the file or set name: ${expectedName}` });
  }
  const checks = [
    checkAws, checkMinio, checkHarbor, checkStateTiers, checkLdap, checkBackups, checkBackupRetention, checkGithubIdentity, checkWorkloads,
  ];
  for (const check of checks) {
    check(config, problems, warnings);
  }
  problems.push(...checkVersions(config));
  problems.push(...repeatedSecretNames(config));
  if (config.stage === 'prod' && !config.github.requireReviewers) {
    problems.push({ path: 'github.requireReviewers', message: 'prod deploys without required reviewers', fix: 'set requireReviewers: true for a prod environment' });
  }
  const providerAccount = config.github.oidcProviderArn?.split(':')[4];
  if (providerAccount && providerAccount !== config.aws.account) {
    problems.push({
      path: 'github.oidcProviderArn',
      message: `names account ${providerAccount}, but the environment deploys to ${config.aws.account}`,
      fix: `use the provider of account ${config.aws.account}, or leave the field out and let the GitHub stack create it`,
    });
  }
  return { problems, warnings };
}

export { cronError, occurrences } from './cron.js';

/** Each Secrets Manager entry holds one thing: two fields naming one secret would overwrite each other. */
function repeatedSecretNames(config: EnvironmentConfig): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  const visit = (value: unknown, path: string) => {
    if (!value || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (typeof v === 'string' && /Secret$/.test(key)) {
        const first = seen.get(v);
        if (first) problems.push({ path: at, message: `names the secret "${v}" that ${first} already uses`, fix: 'give each secret its own Secrets Manager name' });
        else seen.set(v, at);
      } else {visit(v, at);}
    }
  };
  visit(config, '');
  return problems;
}
