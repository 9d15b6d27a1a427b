import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError, durationOption, type Io } from '../cli/command.js';
import { defineCommand, type Args } from '../cli/declare.js';
import { ROOT_VARIABLE } from '../cli/environment-variables.js';
import { loadConfigOption } from '../cli/environment.js';
import { runLdapCheck } from '../ldap/check.js';
import { formatReport } from '../ldap/report.js';
import { DEFAULT_PASSWORD_ENV, LDAP_DEFAULTS as D, bindPassword, settingsFromOptions, type LdapSettings } from '../ldap/settings.js';

/** Options that describe the directory by hand; refused together with --env/--config. */
const DIRECTORY_OPTIONS = [
  'url', 'base-dn', 'search-dn', 'filter', 'uid-attribute', 'scope', 'no-verify-certificate',
  'group-base-dn', 'group-filter', 'group-name-attribute', 'group-membership-attribute', 'group-admin-dn',
] as const;

const LDAP_CHECK_OPTIONS = {
  'env': { type: 'string', placeholder: '<name>', description: 'the ldap section of an environment in environments/' },
  'config': { type: 'string', placeholder: '<file>', description: 'the ldap section of an environment file anywhere' },
  'url': { type: 'string', placeholder: '<url>', description: 'ldap:// or ldaps:// URL with port' },
  'base-dn': { type: 'string', placeholder: '<dn>', description: 'where users are searched' },
  'search-dn': { type: 'string', placeholder: '<dn>', description: 'the search account (omit for an anonymous search)' },
  'password-env': { type: 'string', placeholder: '<VAR>', description: "variable holding the search account's password", defaultText: DEFAULT_PASSWORD_ENV },
  'filter': { type: 'string', placeholder: '<filter>', description: 'user filter', defaultText: D.filter },
  'uid-attribute': { type: 'string', placeholder: '<attr>', description: 'attribute holding the login name', defaultText: D.uidAttribute },
  'scope': { type: 'string', placeholder: '<scope>', description: 'base, onelevel or subtree', defaultText: D.scope },
  'group-base-dn': { type: 'string', placeholder: '<dn>', description: 'where groups are searched (turns on the groups step)' },
  'group-filter': { type: 'string', placeholder: '<filter>', description: 'group filter', defaultText: D.groups!.filter },
  'group-name-attribute': { type: 'string', placeholder: '<a>', description: 'group name attribute', defaultText: D.groups!.nameAttribute },
  'group-membership-attribute': { type: 'string', placeholder: '<a>', description: 'attribute on the user listing its groups', defaultText: D.groups!.membershipAttribute },
  'group-admin-dn': { type: 'string', placeholder: '<dn>', description: 'the admin group; the report says whether the user is in it' },
  'ca-file': { type: 'string', placeholder: '<bundle.pem>', description: "trust exactly the CAs in this PEM bundle (what ldap.caBundleSecret holds),\nnot the system's; works with --env/--config too" },
  'no-verify-certificate': { type: 'boolean', description: 'accept any TLS certificate (never in production)' },
  'timeout': { type: 'string', placeholder: '<duration>', description: 'bound of each network step (30s, 2m; a bare number is\nseconds)', defaultText: `${D.timeoutSeconds}s` },
  'user': { type: 'string', placeholder: '<uid>', description: 'look this user up (without it, count the entries the filter matches)' },
  'json': { type: 'boolean', description: 'one JSON document: { version, url, ok, steps[], failure?, user? }' },
} as const;

type LdapCheckArgs = Args<typeof LDAP_CHECK_OPTIONS>;

export const ldapCheckCommand = defineCommand({
  name: 'ldap-check',
  usage: ['ldap-check (--env <name> | --config <file> | --url <url> --base-dn <dn> [directory options]) [--user <uid>] [--json]'],
  description: `Runs what Harbor's LDAP login does, step by step and judged as Harbor judges: connect (TLS
for ldaps:// and port 636), bind as the search account, search the user with the filter and
the uid attribute, resolve the user's groups from the membership attribute (memberof) on the
user entry, each checked under the group base DN with the group filter, and the admin group
as Harbor compares it. Exit 0 when every step passes; exit 1 naming the step and the reason:
unreachable, timeout, tls, invalid-credentials, bind-refused, no-such-base, access-denied,
invalid-filter, user-not-found, several-matches, no-entries, membership-attribute-missing,
admin-dn-mismatch.`,
  options: LDAP_CHECK_OPTIONS,
  environment: [
    ROOT_VARIABLE,
    { name: DEFAULT_PASSWORD_ENV, description: "the search account's password (or the variable --password-env names); never taken from arguments" },
  ],
  async run(args, io) {
    const settings = resolveSettings(args, io);
    const varName = args.values['password-env'] ?? DEFAULT_PASSWORD_ENV;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(varName)) throw new UsageError(`--password-env takes a variable name, such as ${DEFAULT_PASSWORD_ENV}, got "${varName}"`);
    const { password, problem } = bindPassword(settings, process.env, varName);
    if (problem) throw new UsageError(problem);
    const user = args.values.user;
    if (user === '') throw new UsageError('--user must not be empty');

    const caFile = args.values['ca-file'];
    const ca = caFile === undefined ? undefined : { pem: readCaBundle(caFile, settings), file: caFile };

    const report = await runLdapCheck(settings, { password, user, ca });
    if (args.values.json) io.out(JSON.stringify(report, null, 2));
    else io.out(formatReport(report));
    if (!report.ok) io.err(`ldap-check: ${report.failure!.reason}: ${report.failure!.message}`);
    return report.ok ? 0 : 1;
  },
});

/** The PEM bundle of --ca-file, refused when it holds no certificate or cannot be used with these settings. */
function readCaBundle(file: string, settings: LdapSettings): string {
  if (!settings.verifyCertificate) {
    throw new UsageError('--ca-file checks the certificate, but verification is off (--no-verify-certificate or verifyCertificate: false): drop one of them');
  }
  const url = new URL(settings.url);
  if (url.protocol !== 'ldaps:' && url.port !== '636') throw new UsageError(`--ca-file needs TLS, but ${settings.url} is plain LDAP: use an ldaps:// URL`);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--ca-file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new UsageError(`--ca-file: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA bundle in PEM form`);
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new UsageError(`--ca-file: certificate ${i + 1} of ${file} does not parse (${(err as Error).message}): give the CA bundle in PEM form`);
    }
  });
  return blocks.join('\n');
}

function resolveSettings(args: LdapCheckArgs, io: Io): LdapSettings {
  const v = args.values;
  const timeout = v.timeout === undefined ? undefined : Math.ceil(durationOption(args, 'timeout', 5000, 1000, 300_000) / 1000); // LDAP's time limit is whole seconds
  if (v.env !== undefined || v.config !== undefined) {
    const given = DIRECTORY_OPTIONS.filter((o) => v[o] !== undefined);
    if (given.length) throw new UsageError(`--${given[0]} describes the directory by hand: give it or --env/--config, not both`);
    const { config } = loadConfigOption(args, io);
    return timeout === undefined ? config.ldap : { ...config.ldap, timeoutSeconds: timeout };
  }
  const result = settingsFromOptions({
    url: v.url,
    baseDn: v['base-dn'],
    searchDn: v['search-dn'],
    filter: v.filter,
    uidAttribute: v['uid-attribute'],
    scope: v.scope,
    timeoutSeconds: timeout,
    verifyCertificate: v['no-verify-certificate'] ? false : undefined,
    groupBaseDn: v['group-base-dn'],
    groupFilter: v['group-filter'],
    groupNameAttribute: v['group-name-attribute'],
    groupMembershipAttribute: v['group-membership-attribute'],
    groupAdminDn: v['group-admin-dn'],
  });
  if (!result.ok) throw new UsageError(result.problems.join('; '));
  return result.settings;
}
