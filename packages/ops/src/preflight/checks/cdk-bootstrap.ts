import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { awsFailure, isAwsError } from '../aws-errors.js';
import type { BootstrapRequirement } from '../bootstrap-requirement.js';
import { finding, type Finding, type PreflightCheck, type PreflightContext } from '../check.js';
import { describeStack, isDeployed, undeployedAdvice } from '../stacks.js';

const NAME = 'cdk-bootstrap';
/** The stack `cdk bootstrap` creates (its --toolkit-stack-name default). */
const TOOLKIT_STACK = 'CDKToolkit';
const DEFAULT_QUALIFIER = 'hnb659fds';

/**
 * The account and region are bootstrapped for CDK at least at the version the synthesized
 * stacks require: the version parameter that the templates' CheckBootstrapVersion rule reads
 * (SSM GetParameter); without it, the CDKToolkit stack (CloudFormation DescribeStacks) tells
 * no bootstrap from a failed one or one of another qualifier, and its BootstrapVersion output
 * stands in when the caller may not read the parameter.
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 */
export const cdkBootstrapCheck: PreflightCheck = {
  name: NAME,
  title: 'the account and region are CDK-bootstrapped at the version the synthesized stacks need',
  needs: 'aws',
  async run(ctx) {
    const { bootstrap } = ctx;
    const where = `aws://${ctx.config.aws.account}/${ctx.config.aws.region}`;
    if ('unknown' in bootstrap) return [finding(NAME, 'unchecked', `${where}: cannot tell the bootstrap version the stacks need: ${bootstrap.unknown}`, 'npm run synth')];
    const fix = bootstrapCommand(ctx, bootstrap);
    let version: number | undefined;
    let ssmFailure: Finding | undefined;
    try {
      version = Number((await ctx.aws.ssm.send(new GetParameterCommand({ Name: bootstrap.versionParameter }))).Parameter?.Value);
    } catch (err) {
      if (!isAwsError(err, 'ParameterNotFound')) ssmFailure = awsFailure(NAME, `${where} ${bootstrap.versionParameter}`, 'ssm:GetParameter', err);
    }
    if (version === undefined) {
      let toolkit;
      try {
        toolkit = await describeStack(ctx.aws.cloudFormation, TOOLKIT_STACK);
      } catch (err) {
        return [ssmFailure ?? awsFailure(NAME, `${where} ${TOOLKIT_STACK}`, 'cloudformation:DescribeStacks', err)];
      }
      if (!toolkit) return [finding(NAME, 'missing', `${where} is not bootstrapped (no ${TOOLKIT_STACK} stack${ssmFailure ? '' : `, no ${bootstrap.versionParameter}`})`, fix)];
      const status = toolkit.StackStatus ?? 'UNKNOWN';
      if (!isDeployed(status)) return [finding(NAME, 'missing', `${where}: the ${TOOLKIT_STACK} stack is ${status}`, `${undeployedAdvice(status, ctx.config.aws.region, TOOLKIT_STACK)} ${fix}`)];
      const output = toolkit.Outputs?.find((o) => o.OutputKey === 'BootstrapVersion')?.OutputValue;
      if (!ssmFailure) {
        // The toolkit is there, the parameter the templates read is not: the deploy would fail.
        return [finding(NAME, 'missing', `${where}: the ${TOOLKIT_STACK} stack (version ${output ?? 'unknown'}) has no parameter ${bootstrap.versionParameter}, so it was bootstrapped with another qualifier`, fix)];
      }
      if (output === undefined) return [ssmFailure];
      version = Number(output);
    }
    if (!Number.isInteger(version)) return [finding(NAME, 'missing', `${where}: the bootstrap version in ${bootstrap.versionParameter} is not a number`, fix)];
    if (version < bootstrap.minVersion) {
      return [finding(NAME, 'missing', `${where} is bootstrapped at version ${version}; the synthesized stacks need ${bootstrap.minVersion} or later`, fix)];
    }
    return [finding(NAME, 'ok', `${where} bootstrapped at version ${version} (the synthesized stacks need ${bootstrap.minVersion} or later)`)];
  },
};

/** The command that bootstraps (or upgrades) the environment's account and region. */
function bootstrapCommand(ctx: PreflightContext, b: BootstrapRequirement): string {
  const qualifier = b.qualifier === DEFAULT_QUALIFIER ? '' : ` --qualifier ${b.qualifier}`;
  return `(cd apps/platform && npx cdk bootstrap${qualifier} aws://${ctx.config.aws.account}/${ctx.config.aws.region})`;
}
