import { paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { awsFailure } from '../aws-errors.js';
import { finding, type PreflightCheck, type PreflightContext } from '../check.js';
import { describeStack } from '../stacks.js';

const NAME = 'github-oidc-provider';
/** GitHub Actions' token issuer; an account holds one IAM OIDC provider per issuer URL. */
const ISSUER = 'token.actions.githubusercontent.com';

/**
 * The account's IAM OIDC provider of GitHub Actions (ListOpenIDConnectProviders) agrees with
 * the config: where `github.oidcProviderArn` names one, it exists; where it names none, the
 * GitHub stack creates it, which fails when the account has one already, unless that one is
 * the stack's own (ListStackResources).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOpenIDConnectProviders.html
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 */
export const githubOidcProviderCheck: PreflightCheck = {
  name: NAME,
  title: "the account's GitHub OIDC provider exists, or the GitHub stack can create it",
  needs: 'aws',
  async run(ctx) {
    const configured = ctx.github.oidcProviderArn;
    let existing: string | undefined;
    try {
      const list = (await ctx.aws.iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [];
      existing = list.map((p) => p.Arn ?? '').find((arn) => arn.endsWith(`:oidc-provider/${ISSUER}`));
    } catch (err) {
      return [awsFailure(NAME, `the ${ISSUER} provider`, 'iam:ListOpenIDConnectProviders', err)];
    }
    if (configured) {
      if (existing === configured) return [finding(NAME, 'ok', `github.oidcProviderArn ${configured} exists`)];
      return [finding(NAME, 'missing', `github.oidcProviderArn ${configured} does not exist${existing ? ` (the account's is ${existing})` : ''}`, existing ? `set github.oidcProviderArn to ${existing}` : 'remove github.oidcProviderArn: the GitHub stack then creates the provider')];
    }
    if (!existing) return [finding(NAME, 'ok', `no ${ISSUER} provider yet: the GitHub stack ${ctx.github.stackName} creates it`)];
    return ownedByGithubStack(ctx, existing);
  },
};

async function ownedByGithubStack(ctx: PreflightContext, provider: string) {
  const stack = ctx.github.stackName;
  const adopt = `set github.oidcProviderArn: ${provider} (the GitHub stack ${stack} would otherwise create a second provider for ${ISSUER}, which IAM refuses)`;
  try {
    if (!(await describeStack(ctx.aws.cloudFormation, stack))) return [finding(NAME, 'missing', `the account has ${provider} and github.oidcProviderArn does not name it`, adopt)];
  } catch (err) {
    return [awsFailure(NAME, stack, 'cloudformation:DescribeStacks', err)];
  }
  try {
    for await (const page of paginateListStackResources({ client: ctx.aws.cloudFormation }, { StackName: stack })) {
      if ((page.StackResourceSummaries ?? []).some((r) => r.ResourceType === 'AWS::IAM::OIDCProvider' && r.PhysicalResourceId === provider)) {
        return [finding(NAME, 'ok', `${provider}, created by ${stack}`)];
      }
    }
  } catch (err) {
    return [awsFailure(NAME, `${stack}'s resources`, 'cloudformation:ListStackResources', err)];
  }
  return [finding(NAME, 'missing', `the account has ${provider}, not created by ${stack}, and github.oidcProviderArn does not name it`, adopt)];
}
