import { awsFailure } from '../aws-errors.js';
import { finding, type PreflightCheck } from '../check.js';
import { describeStack, isDeployed, undeployedAdvice } from '../stacks.js';

const NAME = 'github-stack';

/**
 * The environment's GitHub stack (`plan.github.stackName`: the OIDC provider and the deploy and
 * operations roles) is deployed (CloudFormation DescribeStacks): the pipeline assumes its deploy
 * role, so it cannot create it; an administrator deploys it once by hand.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 */
export const githubStackCheck: PreflightCheck = {
  name: NAME,
  title: "the GitHub stack (the pipeline's roles) is deployed",
  needs: 'aws',
  async run({ config, github, aws }) {
    const name = github.stackName;
    const deploy = `npm run synth && (cd apps/platform && npx cdk deploy --app cdk.out ${name}), once, as an administrator of account ${config.aws.account}`;
    let stack;
    try {
      stack = await describeStack(aws.cloudFormation, name);
    } catch (err) {
      return [awsFailure(NAME, name, 'cloudformation:DescribeStacks', err)];
    }
    if (!stack) return [finding(NAME, 'missing', `${name} is not deployed in ${config.aws.account}/${config.aws.region}`, deploy)];
    const status = stack.StackStatus ?? 'UNKNOWN';
    if (!isDeployed(status)) return [finding(NAME, 'missing', `${name} is ${status}`, `${undeployedAdvice(status, config.aws.region, name)} ${deploy}`)];
    return [finding(NAME, 'ok', `${name} is ${status}`)];
  },
};
