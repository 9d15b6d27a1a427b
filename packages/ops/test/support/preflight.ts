/**
 * A preflight context of one committed environment, and AWS errors as the SDK hands them over:
 * the modelled exception classes where a service models the error, else the service's base
 * exception carrying AWS's error code as its name (how the SDK reports an unmodelled code).
 */
import { planGithub, planNames } from '@harbor-platform/config';
import { loadConfig } from './fakes.js';
import { AwsClients } from '../../src/preflight/aws-clients.js';
import type { PreflightContext } from '../../src/preflight/check.js';

/** The caller of every refused call below: a role of the dev account. */
export const CALLER = 'arn:aws:sts::111111111111:assumed-role/PlatformAdmins/alice';

/** dev's context: the assembly's requirement as aws-cdk-lib 2.276 writes it (deploy 6, lookup role 8). */
export function devContext(overrides: Partial<PreflightContext> = {}, env = 'dev'): PreflightContext {
  const config = loadConfig(env);
  const names = planNames(config);
  return {
    config,
    names,
    github: planGithub(config, names),
    aws: new AwsClients(config.aws.region),
    bootstrap: { minVersion: 8, versionParameter: '/cdk-bootstrap/hnb659fds/version', qualifier: 'hnb659fds', stacks: [`harbor-platform-${env}`, `harbor-platform-${env}-github`] },
    cliTarget: `--env ${env}`,
    ...overrides,
  };
}

/** AWS's wording of an implicit deny. @see https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html */
export function deniedMessage(action: string, resource: string): string {
  return `User: ${CALLER} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}

type ExceptionClass<T> = new (opts: { name: string; $fault: 'client'; $metadata: object; message: string }) => T;

/** An error of `code` as `Base` (a service's base or modelled exception class) carries it. */
export function awsError<T>(Base: ExceptionClass<T>, code: string, message: string, httpStatusCode = 400): T {
  return new Base({ name: code, $fault: 'client', $metadata: { httpStatusCode, requestId: 'b2c6f2c1-5f5e-4c39-9d3a-2f0d4f1e6a70' }, message });
}
