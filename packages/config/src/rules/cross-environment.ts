import type { Problem } from '../problems.js';
import type { EnvironmentConfig } from '../schema/environment.js';

/** One environment file and its validated config. */
export interface EnvironmentFile {
  /** As shown in messages, such as `environments/prod.yaml`. */
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/** A named value of one environment that must not repeat in another. */
interface Claim {
  readonly path: string;
  readonly value: string;
}

/** S3 bucket names are global: no two environments may name one bucket, whatever their accounts. */
function buckets(c: EnvironmentConfig): Claim[] {
  return [
    { path: 'velero.backupBucket', value: c.velero.backupBucket },
    { path: 'registryBackup.bucket', value: c.registryBackup.bucket },
  ];
}

/** Secrets Manager names are unique per account and region: every `*Secret` field. */
function secrets(c: EnvironmentConfig): Claim[] {
  const found: Claim[] = [];
  const visit = (value: unknown, path: string) => {
    if (!value || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (typeof v === 'string' && /Secret$/.test(key)) found.push({ path: at, value: v });
      else visit(v, at);
    }
  };
  visit(c, '');
  return found;
}

/** `host` with the other environment's name label replaced by `name`, or `<first label>-<name>.<rest>` when it has none. */
function ownHostname(host: string, otherName: string, name: string): string {
  const labels = host.split('.');
  const at = labels.indexOf(otherName);
  if (at >= 0) labels[at] = name;
  else labels[0] = `${labels[0]}-${name}`;
  return labels.join('.');
}

/** [first, last] address of an IPv4 CIDR the schema rules accepted. */
function cidrRange(cidr: string): [number, number] {
  const [ip, prefix] = cidr.split('/');
  const base = ip!.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  return [base, base + 2 ** (32 - Number(prefix)) - 1];
}

/**
 * The fix of a shared name: `give <env> its own <what>, such as <suggestion>`; or, when the
 * suggestion is the value this file already has (the other file copied this one's name), to
 * rename it in the other file.
 */
function ownNameFix(s: EnvironmentConfig, what: string, suggestion: string, current: string, otherFile: string): string {
  if (suggestion === current) return `"${current}" is ${s.name}'s own name: give the environment of ${otherFile} its own ${what} there`;
  return `give ${s.name} its own ${what}, such as ${suggestion}`;
}

/**
 * What `subject` shares with the other environments that it must not: a backup bucket (global
 * names), Harbor's hostname (one DNS record), the GitHub environment of the same repository
 * (its roles' trust), a Secrets Manager name in the same account and region, a VPC range
 * overlapping another VPC of the same account. The usual cause is a new environment file copied from
 * another and not yet renamed throughout. Each problem names the field and the other file.
 * Environments with the subject's own `name` are skipped (another copy of the same environment).
 */
export function crossEnvironmentProblems(subject: EnvironmentFile, others: readonly EnvironmentFile[]): Problem[] {
  const s = subject.config;
  const problems: Problem[] = [];
  for (const other of others) {
    const o = other.config;
    if (o.name === s.name) continue;
    const oBuckets = buckets(o);
    for (const b of buckets(s)) {
      const hit = oBuckets.find((x) => x.value === b.value);
      if (hit) {
        problems.push({
          path: b.path,
          message: `"${b.value}" is also the ${hit.path} of ${other.file} (S3 bucket names are global: the two environments would write one bucket)`,
          fix: ownNameFix(s, 'bucket', `harbor-platform-${s.name}-backups-${s.aws.account}`, b.value, other.file),
        });
      }
    }
    if (o.dns.harborHostname === s.dns.harborHostname) {
      problems.push({
        path: 'dns.harborHostname',
        message: `"${s.dns.harborHostname}" is also the dns.harborHostname of ${other.file} (one name has one record: the two environments' ExternalDNS would each point it at their own load balancer)`,
        fix: ownNameFix(s, 'hostname', ownHostname(s.dns.harborHostname, o.name, s.name), s.dns.harborHostname, other.file),
      });
    }
    if (o.github.owner === s.github.owner && o.github.repo === s.github.repo && o.github.environment === s.github.environment) {
      problems.push({
        path: 'github.environment',
        message: `"${s.github.environment}" is also the github.environment of ${other.file} in ${s.github.owner}/${s.github.repo} (each environment's roles trust the jobs of its GitHub environment: one environment's jobs could assume the other's roles)`,
        fix: `give ${s.name} its own GitHub environment, such as ${s.name}, and create it with harbor-platform github-setup`,
      });
    }
    if (o.aws.account === s.aws.account && o.aws.region === s.aws.region) {
      const oSecrets = secrets(o);
      for (const sec of secrets(s)) {
        const hit = oSecrets.find((x) => x.value === sec.value);
        if (hit) {
          problems.push({
            path: sec.path,
            message: `names the secret "${sec.value}" that ${other.file} uses as ${hit.path}, in the same account and region`,
            fix: ownNameFix(s, 'secrets', sec.value.replace(new RegExp(`(^|/)${o.name}(/|$)`), `$1${s.name}$2`), sec.value, other.file),
          });
        }
      }
    }
    if (o.aws.account === s.aws.account) {
      const [a0, a1] = cidrRange(s.network.vpcCidr);
      const [b0, b1] = cidrRange(o.network.vpcCidr);
      if (a0 <= b1 && b0 <= a1) {
        problems.push({
          path: 'network.vpcCidr',
          message: `${s.network.vpcCidr} ${s.network.vpcCidr === o.network.vpcCidr ? 'is' : 'overlaps'} the network.vpcCidr of ${other.file} (${o.network.vpcCidr}) in the same account ${s.aws.account}`,
          fix: 'give each VPC of an account its own range, so they can be peered or routed later',
        });
      }
    }
  }
  return problems;
}
