export { main } from './cli.js';
export * from './cli/command.js';
export { COMMANDS } from './commands/index.js';
// The registry proof library: what the drill and restore workflows call directly.
export * from './registry/index.js';
export * from './s3/index.js';
export * from './inventory/index.js';
export * from './verify/index.js';
export * from './backup/index.js';
