import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsFailure } from '../aws-errors.js';
import { finding, type PreflightCheck } from '../check.js';

const NAME = 'aws-account';

/**
 * The credentials preflight runs with belong to the environment's account (STS
 * GetCallerIdentity, which no policy can deny): every other AWS check reads that account,
 * so they run only once this one passes.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export const awsAccountCheck: PreflightCheck = {
  name: NAME,
  title: 'the AWS credentials are for aws.account',
  needs: 'aws',
  async run({ config, aws }) {
    const want = config.aws.account;
    let identity;
    try {
      identity = await aws.sts.send(new GetCallerIdentityCommand({}));
    } catch (err) {
      return [awsFailure(NAME, `account ${want}`, 'sts:GetCallerIdentity', err)];
    }
    if (identity.Account !== want) {
      return [finding(NAME, 'missing', `the AWS credentials are for account ${identity.Account} (${identity.Arn}), not aws.account ${want}`, `sign in to account ${want} (aws sso login --profile <its profile>, or AWS_PROFILE) and run preflight again`)];
    }
    return [finding(NAME, 'ok', `account ${want} as ${identity.Arn}`)];
  },
};
