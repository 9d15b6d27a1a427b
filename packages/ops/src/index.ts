/**
 * The public surface of @harbor-platform/ops: the `harbor-platform` CLI's entry point (bin/ runs
 * it). Other packages and the tests import the modules they exercise directly; the operations
 * library's failures are the classes of ./errors.ts.
 */
export { main } from './cli.js';
