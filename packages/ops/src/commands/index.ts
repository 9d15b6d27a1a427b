import type { Command } from '../cli/command.js';
import { validateCommand } from './validate.js';
import { planCommand } from './plan.js';
import { driftCommand } from './drift.js';
import { drillCommand } from './drill.js';
import { restoreCommand } from './restore.js';
import { reportCommand } from './report.js';
import { smokeCommand } from './smoke.js';
import { inventoryCommand } from './inventory.js';
import { verifyCommand } from './verify.js';
import { registryBackupCommand } from './registry-backup.js';
import { registryRestoreCommand } from './registry-restore.js';
import { ldapCheckCommand } from './ldap-check.js';

/** Every `harbor-platform` command, in the order `--help` lists them. */
export const COMMANDS: Command[] = [validateCommand, planCommand, smokeCommand, inventoryCommand, verifyCommand, registryBackupCommand, registryRestoreCommand, ldapCheckCommand, driftCommand, drillCommand, restoreCommand, reportCommand];
