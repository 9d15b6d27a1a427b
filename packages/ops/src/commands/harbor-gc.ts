import { planEnvironment } from '@harbor-platform/config';
import { basicCredentialsFromEnv } from '../cli/basic-credentials.js';
import { CommandError, UsageError, durationOption, type Command } from '../cli/command.js';
import { loadConfigOption } from '../cli/environment.js';
import { HARBOR_ENV_PREFIX, HARBOR_PASSWORD_ENV, HARBOR_USERNAME_ENV, HarborApi } from '../harbor/api.js';
import { applyGcSchedule, gcScheduleDifferences } from '../harbor/gc.js';

export const harborGcCommand: Command = {
  name: 'harbor-gc',
  help: `harbor-gc (--env <name> | --config <file>) [--harbor-url <url>] [--check] [--timeout <duration>]

Makes Harbor's garbage-collection schedule the one of harbor.gc (cron and
deleteUntagged; none when harbor.gc is not set): reads it (GET
/api/v2.0/system/gc/schedule), replaces it when it differs (PUT, type Custom, the
config's five-field cron with Harbor's seconds field 0 in front; type None when the
config sets none) and reads it back. The deploy workflow runs it after every deploy,
so a schedule changed by hand in Harbor's UI is set back. With --check it only
compares (drift does the same).

access: a Harbor account with the system permission on garbage-collection (create
and update to apply, read to check): the admin, or a system robot account.

options:
  --env <name>          an environment in environments/
  --config <file>       an environment file anywhere
  --harbor-url <url>    Harbor's URL (default harbor.externalUrl of the config)
  --check               compare only; exit 1 when Harbor's schedule differs
  --timeout <duration>  longest wait for one answer (90s, 15m; a bare number is
                        seconds; default 30s)

environment:
  ${HARBOR_USERNAME_ENV}, ${HARBOR_PASSWORD_ENV}
                        Harbor credentials (basic auth); never taken from arguments

exit status: 0 as configured (applied, or nothing to do), 1 differs (--check) or Harbor
refused, 2 usage`,
  options: { 'env': { type: 'string' }, 'config': { type: 'string' }, 'harbor-url': { type: 'string' }, 'check': { type: 'boolean' }, 'timeout': { type: 'string' } },
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
    const url = (args.values['harbor-url'] as string | undefined) ?? plan.harbor.url;
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
};
