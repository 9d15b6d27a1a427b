import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { stackSecrets, type StackSecret } from '@harbor-platform/config';
import { awsFailure, isAwsError } from '../aws-errors.js';
import { finding, type Finding, type PreflightCheck, type PreflightContext } from '../check.js';
import { describeStack, isDeployed } from '../stacks.js';

const NAME = 'stack-secrets';

/**
 * Before the platform stack's first deploy, none of the secrets it creates exists yet: they
 * are retained when a stack is deleted, so a deploy that failed and was deleted leaves them,
 * and Secrets Manager then refuses to create them again (also while one is scheduled for
 * deletion). Once the stack is deployed it owns them, and there is nothing to check.
 * DescribeSecret only: no value is read.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
 */
export const stackSecretsCheck: PreflightCheck = {
  name: NAME,
  title: 'before the first deploy, no secret the platform stack creates is left from an earlier one',
  needs: 'aws',
  async run(ctx) {
    const stack = ctx.names.stacks.platform;
    let deployed;
    try {
      deployed = await describeStack(ctx.aws.cloudFormation, stack);
    } catch (err) {
      return [awsFailure(NAME, stack, 'cloudformation:DescribeStacks', err)];
    }
    if (deployed && isDeployed(deployed.StackStatus)) return [finding(NAME, 'skipped', `${stack} is deployed and owns its secrets`)];
    const found = await Promise.all(stackSecrets(ctx.config).map((s) => leftover(ctx, s)));
    const problems = found.filter((f): f is Finding => f !== undefined);
    return problems.length ? problems : [finding(NAME, 'ok', `none of the ${found.length} secrets ${stack} creates exists yet`)];
  },
};

async function leftover({ config, aws }: PreflightContext, s: StackSecret): Promise<Finding | undefined> {
  const region = config.aws.region;
  const what = `${s.field} ${s.secretName}`;
  try {
    const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: s.secretName }));
    const state = secret.DeletedDate ? `is scheduled for deletion (since ${secret.DeletedDate.toISOString()})` : 'exists already';
    return finding(NAME, 'missing', `${what} ${state}, but the platform stack creates it: left by an earlier deploy?`,
      `if nothing uses it, aws secretsmanager delete-secret --region ${region} --secret-id ${s.secretName} --force-delete-without-recovery; else name another secret in ${s.field}`);
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
    return awsFailure(NAME, what, 'secretsmanager:DescribeSecret', err);
  }
}
