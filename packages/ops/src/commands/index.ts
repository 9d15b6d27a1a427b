import type { Command } from '../cli/command.js';
import { validateCommand } from './validate.js';
import { planCommand } from './plan.js';

/** Every `harbor-platform` command, in the order `--help` lists them. */
export const COMMANDS: Command[] = [validateCommand, planCommand];
