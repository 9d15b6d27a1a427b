import { planEnvironment } from '@harbor-platform/config';
import { CommandError, UsageError, durationOption } from '../cli/command.js';
import { defineCommand } from '../cli/declare.js';
import { ENVIRONMENT_OPTIONS, loadConfigOption } from '../cli/environment.js';
import { basicCredentialsFromEnv } from '../credentials/basic-credentials.js';
import { HARBOR_ENV_PREFIX, HARBOR_PASSWORD_ENV, HARBOR_USERNAME_ENV, HarborApi } from '../harbor/api.js';
import { applyGcSchedule, gcScheduleDifferences } from '../harbor/gc.js';

export const harborGcCommand = defineCommand({
  name: 'harbor-gc',
  description: `Makes Harbor's garbage-collection schedule the one of harbor.gc (cron and
deleteUntagged; none when harbor.gc is not set): reads it (GET
/api/v2.0/system/gc/schedule), replaces it when it differs (PUT, type Custom, the
config's five-field cron with Harbor's seconds field 0 in front; type None when the
config sets none) and reads it back. The deploy workflow runs it after every deploy,
so a schedule changed by hand in Harbor's UI is set back. With --check it only
compares (drift does the same).

access: a Harbor account with the system permission on garbage-collection (create
and update to apply, read to check): the admin, or a system robot account.`,
  groups: [ENVIRONMENT_OPTIONS],
  options: {
    'harbor-url': { type: 'string', placeholder: '<url>', description: "Harbor's URL", defaultText: 'harbor.externalUrl of the config' },
    'check': { type: 'boolean', description: "compare only; exit 1 when Harbor's schedule differs" },
    'timeout': { type: 'string', placeholder: '<duration>', default: '30s', description: 'longest wait for one answer (90s, 15m; a bare number is\nseconds)' },
  },
  environment: [{ name: `${HARBOR_USERNAME_ENV}, ${HARBOR_PASSWORD_ENV}`, description: 'Harbor credentials (basic auth); never taken from arguments' }],
  exitStatus: '0 as configured (applied, or nothing to do), 1 differs (--check) or Harbor\nrefused, 2 usage',
  async run(args, io) {
    // Options first, so a bad one is named as itself (not as --harbor-url below).
    const timeoutMs = durationOption(args, 'timeout', 30_000, 1000, 3_600_000);
    const { config } = loadConfigOption(args, io);
    const plan = planEnvironment(config);
    let credentials;
    try {
      credentials = basicCredentialsFromEnv(HARBOR_ENV_PREFIX);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (!credentials) throw new UsageError(`set ${HARBOR_USERNAME_ENV} and ${HARBOR_PASSWORD_ENV} (a Harbor account with the garbage-collection permission)`);
    const url = args.values['harbor-url'] ?? plan.harbor.url;
    let api: HarborApi;
    try {
      api = new HarborApi({ url, credentials, timeoutMs });
    } catch (err) {
      throw new UsageError(`--harbor-url: ${(err as Error).message}`);
    }
    const wanted = plan.harbor.gc;
    const schedule = wanted ? `"${wanted.cron}" (delete_untagged ${wanted.deleteUntagged})` : 'none';
    try {
      if (args.values.check) {
        const differences = gcScheduleDifferences(wanted, await api.gcSchedule());
        io.out(differences.length ? differences.map((d) => `differs: ${d}`).join('\n') : `${config.name}: Harbor's GC schedule is as configured: ${schedule}`);
        return differences.length ? 1 : 0;
      }
      const result = await applyGcSchedule(api, wanted);
      io.out(result.changed ? `${config.name}: set Harbor's GC schedule to ${schedule}; it was: ${result.differences.join('; ')}` : `${config.name}: Harbor's GC schedule is already ${schedule}`);
      return 0;
    } catch (err) {
      throw new CommandError(`harbor-gc of ${config.name} at ${url}: ${(err as Error).message}`);
    }
  },
});
