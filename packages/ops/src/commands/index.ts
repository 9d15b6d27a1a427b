import { driftCommand } from './drift.js';
import { drillCommand } from './drill.js';
import { githubSetupCommand } from './github-setup.js';
import { harborGcCommand } from './harbor-gc.js';
import { harborSettingsReloadCommand } from './harbor-settings-reload.js';
import { inventoryCommand } from './inventory.js';
import { ldapCheckCommand } from './ldap-check.js';
import { planCommand } from './plan.js';
import { registryBackupCommand } from './registry-backup.js';
import { registryRestoreCommand } from './registry-restore.js';
import { reportCommand } from './report.js';
import { restoreCommand } from './restore.js';
import { smokeCommand } from './smoke.js';
import { validateCommand } from './validate.js';
import { verifyCommand } from './verify.js';
import type { Command } from '../cli/command.js';

/** Every `harbor-platform` command, in the order `--help` lists them. */
export const COMMANDS: Command[] = [
  validateCommand,
  planCommand,
  smokeCommand,
  inventoryCommand,
  verifyCommand,
  registryBackupCommand,
  registryRestoreCommand,
  ldapCheckCommand,
  harborGcCommand,
  harborSettingsReloadCommand,
  driftCommand,
  drillCommand,
  restoreCommand,
  reportCommand,
  githubSetupCommand,
];
