export { main } from './cli.js';
export * from './cli/command.js';
export { COMMANDS } from './commands/index.js';
