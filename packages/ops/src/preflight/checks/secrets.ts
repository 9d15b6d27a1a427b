import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { preexistingSecrets, type PreexistingSecret } from '@harbor-platform/config';
import { awsFailure, isAwsError } from '../aws-errors.js';
import { finding, type Finding, type PreflightCheck, type PreflightContext } from '../check.js';

const NAME = 'secrets';

/**
 * Every secret that must exist before the first deploy (`preexistingSecrets` of the config:
 * the ones no stack creates) exists in the environment's region, is not scheduled for
 * deletion and has a current value (a version staged AWSCURRENT). DescribeSecret only: the
 * value is never read.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html
 */
export const secretsCheck: PreflightCheck = {
  name: NAME,
  title: 'every secret the config names that no stack creates exists, with a value (never read)',
  needs: 'aws',
  async run(ctx) {
    const secrets = preexistingSecrets(ctx.config);
    if (!secrets.length) return [finding(NAME, 'skipped', 'the config names no secret that must exist before the deploy (the stack creates the others)')];
    return Promise.all(secrets.map((s) => checkSecret(ctx, s)));
  },
};

async function checkSecret({ config, aws }: PreflightContext, s: PreexistingSecret): Promise<Finding> {
  const region = config.aws.region;
  const what = `${s.field} ${s.secretName}`;
  const value = s.jsonKeys.length ? `JSON with the keys ${s.jsonKeys.join(', ')}` : `${s.holds}, as the whole secret string (not JSON)`;
  let secret;
  try {
    secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: s.secretName }));
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) {
      return finding(NAME, 'missing', `${what} does not exist in ${region}; it holds ${value}`, `aws secretsmanager create-secret --region ${region} --name ${s.secretName} --secret-string file://<file holding it>`);
    }
    return awsFailure(NAME, what, 'secretsmanager:DescribeSecret', err);
  }
  if (secret.DeletedDate) {
    return finding(NAME, 'missing', `${what} is scheduled for deletion (since ${secret.DeletedDate.toISOString()})`, `aws secretsmanager restore-secret --region ${region} --secret-id ${s.secretName}`);
  }
  const current = Object.values(secret.VersionIdsToStages ?? {}).some((stages) => stages.includes('AWSCURRENT'));
  if (!current) {
    return finding(NAME, 'missing', `${what} has no current value; it holds ${value}`, `aws secretsmanager put-secret-value --region ${region} --secret-id ${s.secretName} --secret-string file://<file holding it>`);
  }
  return finding(NAME, 'ok', `${what} exists with a current value`);
}
