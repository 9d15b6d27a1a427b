import { HARBOR_RELEASE, HARBOR_SECRET_KEYS, HARBOR_SECRETS, HARBOR_SETTINGS_RELOAD_ANNOTATION } from '@harbor-platform/config';
import { CommandError } from '../cli/command.js';
import { defineCommand } from '../cli/declare.js';
import { KUBECONFIG_VARIABLE } from '../cli/environment-variables.js';
import { KubeconfigError } from '../errors.js';

export const harborSettingsReloadCommand = defineCommand({
  name: 'harbor-settings-reload',
  description: `Run every few minutes by the harbor-settings-reload CronJob in Harbor's namespace.
Compares the SHA-256 of CONFIG_OVERWRITE_JSON in the Secret ${HARBOR_SECRETS.userSettings}
(rendered by External Secrets: the settings and the LDAP bind password) with the core
Deployment's pod template annotation ${HARBOR_SETTINGS_RELOAD_ANNOTATION};
when they differ (the password was rotated in Secrets Manager and synced), sets the
annotation, which rolls ${HARBOR_RELEASE}-core: core applies the variable only at start.
The value itself is never printed.

access (Kubernetes, the CronJob's service account): get on that one Secret, get and patch
on that one Deployment.`,
  options: {
    namespace: { type: 'string', placeholder: '<harbor namespace>', required: true, description: "Harbor's namespace, where the Secret and the core Deployment are" },
  },
  environment: [KUBECONFIG_VARIABLE],
  exitStatus: '0 unchanged, restarted, or no core Deployment yet; 1 the Secret or its key is missing',
  async run(args, io) {
    const { namespace } = args.values;
    const { reloadOnSettingsChange } = await import('../harbor/settings-reload.js');
    const { ClientNodeCoreRestart } = await import('../harbor/core-restart.js');
    const deployment = `${HARBOR_RELEASE}-core`;
    try {
      const r = await reloadOnSettingsChange(new ClientNodeCoreRestart(), {
        namespace,
        secret: HARBOR_SECRETS.userSettings,
        key: HARBOR_SECRET_KEYS.userSettings,
        deployment,
        annotation: HARBOR_SETTINGS_RELOAD_ANNOTATION,
      });
      if (r.outcome === 'no-deployment') io.out(`no Deployment ${namespace}/${deployment} yet: nothing to restart`);
      if (r.outcome === 'unchanged') io.out(`${namespace}/${deployment} runs the current settings (sha256 ${r.checksum.slice(0, 12)})`);
      if (r.outcome === 'restarted') io.out(`settings changed (sha256 ${r.previous?.slice(0, 12) ?? 'none'} -> ${r.checksum.slice(0, 12)}): rolling ${namespace}/${deployment}`);
      return 0;
    } catch (err) {
      if (err instanceof CommandError || err instanceof KubeconfigError) throw err; // already one clear line (a missing kubeconfig)
      throw new CommandError(`harbor-settings-reload: ${(err as Error).message}`);
    }
  },
});
