import { ListSourceCredentialsCommand } from '@aws-sdk/client-codebuild';
import { awsFailure } from '../aws-errors.js';
import { finding, type PreflightCheck } from '../check.js';

const NAME = 'codebuild-github';

/**
 * CodeBuild has a GitHub source credential in the environment's region
 * (ListSourceCredentials: an entry of server type GITHUB): the CodeBuild-hosted GitHub
 * Actions runners, which run the cluster-facing jobs inside the VPC, reach GitHub through it,
 * and a project's GitHub webhook cannot be created without it.
 *
 * @see https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ListSourceCredentials.html
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 */
export const codebuildGithubCheck: PreflightCheck = {
  name: NAME,
  title: "CodeBuild has a GitHub source credential in the region (the VPC runners' connection)",
  needs: 'aws',
  async run({ config, aws, names }) {
    const region = config.aws.region;
    let infos;
    try {
      infos = (await aws.codeBuild.send(new ListSourceCredentialsCommand({}))).sourceCredentialsInfos ?? [];
    } catch (err) {
      return [awsFailure(NAME, `source credentials in ${region}`, 'codebuild:ListSourceCredentials', err)];
    }
    const github = infos.filter((i) => i.serverType === 'GITHUB');
    if (!github.length) {
      return [finding(NAME, 'missing', `CodeBuild has no GitHub source credential in ${config.aws.account}/${region}${infos.length ? ` (only ${infos.map((i) => i.serverType).join(', ')})` : ''}`,
        `create a GitHub connection (aws codeconnections create-connection --region ${region} --provider-type GitHub --connection-name ${names.githubConnection}) and approve it in the console, then aws codebuild import-source-credentials --region ${region} --server-type GITHUB --auth-type CODECONNECTIONS --token <connection ARN>`)];
    }
    return [finding(NAME, 'ok', `GitHub source credential in ${region} (${github.map((i) => i.authType).join(', ')})`)];
  },
};
