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
import { environmentSchema, type EnvironmentConfig } from '../schema/environment.js';
import { checkVersions } from '../versions.js';

type Check = (config: EnvironmentConfig, problems: Problem[], warnings: Warning[]) => void;

/** Every cross-field rule, in the order their problems are listed. */
function checks(expectedName: string | undefined): Check[] {
  return [
    (c, problems) => {
      if (expectedName && c.name !== expectedName) {
        problems.push({ path: 'name', message: `"${c.name}" differs from the file name "${expectedName}"`, fix: `rename the file or set name: ${expectedName}` });
      }
    },
    checkAws, checkMinio, checkHarbor, checkStateTiers, checkLdap, checkBackups, checkBackupRetention, checkGithubIdentity, checkWorkloads,
    (c, problems) => void problems.push(...checkVersions(c)),
    (c, problems) => void problems.push(...repeatedSecretNames(c)),
    (c, problems) => {
      if (c.stage === 'prod' && !c.github.requireReviewers) {
        problems.push({ path: 'github.requireReviewers', message: 'prod deploys without required reviewers', fix: 'set requireReviewers: true for a prod environment' });
      }
    },
    (c, problems) => {
      const providerAccount = c.github.oidcProviderArn?.split(':')[4];
      if (providerAccount && providerAccount !== c.aws.account) {
        problems.push({
          path: 'github.oidcProviderArn',
          message: `names account ${providerAccount}, but the environment deploys to ${c.aws.account}`,
          fix: `use the provider of account ${c.aws.account}, or leave the field out and let the GitHub stack create it`,
        });
      }
    },
  ];
}

/** Cross-field rules over a structurally valid config; every problem at once. */
export function checkEnvironment(config: EnvironmentConfig, expectedName?: string): { problems: Problem[]; warnings: Warning[] } {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  for (const check of checks(expectedName)) check(config, problems, warnings);
  return { problems, warnings };
}

const SECTIONS = new Set(Object.keys(environmentSchema.shape));

/** Thrown when a rule reads a top-level section that failed the schema. */
class UnparsedSection extends Error {
  constructor(readonly section: string) {
    super(`section ${section} failed the schema`);
  }
}

/**
 * The rules over a config whose schema check failed in some top-level sections: each rule runs
 * on the sections that parsed, and a rule that reads a failed section is left out (it would
 * judge input the schema already refused). Returns the problems of the rules that ran and the
 * failed sections that kept some rule from running.
 * @param parsed the top-level sections that passed the schema, parsed (defaults applied)
 */
export function checkParsedSections(
  parsed: Record<string, unknown>,
  expectedName?: string,
): { problems: Problem[]; warnings: Warning[]; unchecked: string[] } {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const unchecked = new Set<string>();
  // A read of a section that is not there throws, so no rule sees `undefined` where its type promises a value.
  const config = new Proxy(parsed, {
    get(target, key) {
      if (typeof key === 'string' && SECTIONS.has(key) && !(key in target)) throw new UnparsedSection(key);
      return Reflect.get(target, key);
    },
  }) as unknown as EnvironmentConfig;
  for (const check of checks(expectedName)) {
    const before = { problems: problems.length, warnings: warnings.length };
    try {
      check(config, problems, warnings);
    } catch (err) {
      if (!(err instanceof UnparsedSection)) throw err;
      // What the rule found before it reached the failed section is partial: drop it.
      problems.length = before.problems;
      warnings.length = before.warnings;
      unchecked.add(err.section);
    }
  }
  return { problems, warnings, unchecked: [...SECTIONS].filter((s) => unchecked.has(s)) };
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
