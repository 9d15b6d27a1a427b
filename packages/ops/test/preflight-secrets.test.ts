/**
 * The secrets checks of `preflight` against the answers Secrets Manager and CloudFormation
 * document (the SDK's own types): the secrets that must exist before the first deploy, and
 * leftovers of the ones the platform stack creates. DescribeSecret only, never a value.
 */
import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand, type StackStatus } from '@aws-sdk/client-cloudformation';
import { DescribeSecretCommand, ResourceNotFoundException as SecretNotFound, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { awsError, CALLER, deniedMessage, devContext } from './support/preflight.js';
import { secretsCheck } from '../src/preflight/checks/secrets.js';
import { stackSecretsCheck } from '../src/preflight/checks/stack-secrets.js';

const cfn = mockClient(CloudFormationClient);
const secrets = mockClient(SecretsManagerClient);
afterEach(() => [cfn, secrets].forEach((m) => m.reset()));

const meta = { $metadata: { httpStatusCode: 400, requestId: 'b2c6f2c1-5f5e-4c39-9d3a-2f0d4f1e6a70' } };
const lines = (fs: { status: string; message: string; fix?: string }[]) => fs.map((f) => [f.status, f.message, f.fix]);
const stackMissing = (name: string) => awsError(CloudFormationServiceException, 'ValidationError', `Stack with id ${name} does not exist`);
const stack = (StackName: string, StackStatus: StackStatus) => ({ StackName, StackStatus, CreationTime: new Date('2026-11-02T09:14:00Z') });

describe('secrets', () => {
  const name = 'harbor-platform/dev/ldap-bind';
  const dockerHub = 'ecr-pullthroughcache/harbor-platform/dev/docker-hub';
  /** The findings of the LDAP bind secret; the Docker Hub credential has its own test. */
  const ldap = async () => lines(await secretsCheck.run(devContext())).filter((l) => l[1]!.includes(name));
  const described = (over: object = {}) => ({
    ARN: `arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:${name}-a1B2c3`,
    Name: name,
    LastChangedDate: new Date('2026-11-20T10:00:00Z'),
    VersionIdsToStages: { 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE': ['AWSCURRENT'] },
    ...over,
  });

  it('passes a secret with a current value, read by DescribeSecret alone', async () => {
    secrets.on(DescribeSecretCommand, { SecretId: name }).resolves(described());
    secrets.on(DescribeSecretCommand, { SecretId: dockerHub }).resolves(described({ Name: dockerHub }));
    expect(lines(await secretsCheck.run(devContext()))).toEqual([
      ['ok', `ldap.bindPasswordSecret ${name} exists with a current value`, undefined],
      ['ok', `plan.images.caches.dockerHub.credentialSecret ${dockerHub} exists with a current value`, undefined],
    ]);
    expect(secrets.calls().map((c) => c.args[0].constructor.name)).toEqual(['DescribeSecretCommand', 'DescribeSecretCommand']);
  });

  it('says what a missing secret holds and how to create it', async () => {
    secrets.on(DescribeSecretCommand).rejects(new SecretNotFound({ ...meta, message: "Secrets Manager can't find the specified secret." }));
    expect(await ldap()).toEqual([[
      'missing',
      `ldap.bindPasswordSecret ${name} does not exist in ap-northeast-2; it holds the password of the LDAP search account cn=harbor,ou=services,dc=example,dc=com, as the whole secret string (not JSON)`,
      `aws secretsmanager create-secret --region ap-northeast-2 --name ${name} --secret-string file://<file holding it>`,
    ]]);
  });

  it('asks for the Docker Hub credential of the pull-through cache as JSON with its keys', async () => {
    secrets.on(DescribeSecretCommand).rejects(new SecretNotFound({ ...meta, message: "Secrets Manager can't find the specified secret." }));
    const [, hub] = lines(await secretsCheck.run(devContext()));
    expect(hub).toEqual(['missing', `plan.images.caches.dockerHub.credentialSecret ${dockerHub} does not exist in ap-northeast-2; it holds JSON with the keys username, accessToken`, `aws secretsmanager create-secret --region ap-northeast-2 --name ${dockerHub} --secret-string file://<file holding it>`]);
  });

  it('reports a secret scheduled for deletion or without a current value', async () => {
    secrets.on(DescribeSecretCommand).resolves(described({ DeletedDate: new Date('2026-11-28T08:00:00Z') }));
    expect(await ldap()).toEqual([['missing', `ldap.bindPasswordSecret ${name} is scheduled for deletion (since 2026-11-28T08:00:00.000Z)`, `aws secretsmanager restore-secret --region ap-northeast-2 --secret-id ${name}`]]);
    secrets.on(DescribeSecretCommand).resolves(described({ VersionIdsToStages: {} }));
    expect((await secretsCheck.run(devContext()))[0]).toMatchObject({ status: 'missing', message: expect.stringMatching(/has no current value/) });
  });

  it('names secretsmanager:DescribeSecret when it is refused', async () => {
    secrets.on(DescribeSecretCommand).rejects(awsError(SecretsManagerServiceException, 'AccessDeniedException', deniedMessage('secretsmanager:DescribeSecret', `arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:${name}`)));
    expect(await ldap()).toEqual([['unchecked', `ldap.bindPasswordSecret ${name}: access denied to ${CALLER}`, 'allow secretsmanager:DescribeSecret to the credentials preflight runs with']]);
  });
});

describe('stack-secrets', () => {
  const notFound = () => new SecretNotFound({ ...meta, message: "Secrets Manager can't find the specified secret." });

  it('has nothing to check once the platform stack is deployed: it owns its secrets', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'harbor-platform-dev' }).resolves({ Stacks: [stack('harbor-platform-dev', 'UPDATE_COMPLETE')] });
    expect(lines(await stackSecretsCheck.run(devContext()))).toEqual([['skipped', 'harbor-platform-dev is deployed and owns its secrets', undefined]]);
    expect(secrets.calls()).toHaveLength(0);
  });

  it('passes before the first deploy when none of the secrets the stack creates exists', async () => {
    cfn.on(DescribeStacksCommand).rejects(stackMissing('harbor-platform-dev'));
    secrets.on(DescribeSecretCommand).rejects(notFound());
    expect(lines(await stackSecretsCheck.run(devContext()))).toEqual([['ok', 'none of the 5 secrets harbor-platform-dev creates exists yet', undefined]]);
    expect(secrets.commandCalls(DescribeSecretCommand).map((c) => c.args[0].input.SecretId).sort()).toEqual([
      'harbor-platform/dev/harbor-admin', 'harbor-platform/dev/harbor-internal-seed', 'harbor-platform/dev/harbor-token-signing', 'harbor-platform/dev/minio-harbor', 'harbor-platform/dev/minio-root',
    ]);
  });

  it('reports a secret left by a deleted deploy, or scheduled for deletion, which the stack could not create again', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('harbor-platform-dev', 'ROLLBACK_COMPLETE')] });
    secrets.on(DescribeSecretCommand).rejects(notFound());
    secrets.on(DescribeSecretCommand, { SecretId: 'harbor-platform/dev/minio-root' }).resolves({ Name: 'harbor-platform/dev/minio-root', VersionIdsToStages: { v1: ['AWSCURRENT'] } });
    secrets.on(DescribeSecretCommand, { SecretId: 'harbor-platform/dev/harbor-admin' }).resolves({ Name: 'harbor-platform/dev/harbor-admin', DeletedDate: new Date('2026-11-28T08:00:00Z') });
    expect(lines(await stackSecretsCheck.run(devContext()))).toEqual([
      ['missing', 'harbor.adminPasswordSecret harbor-platform/dev/harbor-admin is scheduled for deletion (since 2026-11-28T08:00:00.000Z), but the platform stack creates it: left by an earlier deploy?', 'if nothing uses it, aws secretsmanager delete-secret --region ap-northeast-2 --secret-id harbor-platform/dev/harbor-admin --force-delete-without-recovery; else name another secret in harbor.adminPasswordSecret'],
      ['missing', 'minio.rootCredentialsSecret harbor-platform/dev/minio-root exists already, but the platform stack creates it: left by an earlier deploy?', 'if nothing uses it, aws secretsmanager delete-secret --region ap-northeast-2 --secret-id harbor-platform/dev/minio-root --force-delete-without-recovery; else name another secret in minio.rootCredentialsSecret'],
    ]);
  });

  it('names secretsmanager:DescribeSecret when it is refused', async () => {
    cfn.on(DescribeStacksCommand).rejects(stackMissing('harbor-platform-dev'));
    secrets.on(DescribeSecretCommand).rejects(notFound());
    secrets.on(DescribeSecretCommand, { SecretId: 'harbor-platform/dev/harbor-token-signing' }).rejects(awsError(SecretsManagerServiceException, 'AccessDeniedException', deniedMessage('secretsmanager:DescribeSecret', 'arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:harbor-platform/dev/harbor-token-signing')));
    expect(lines(await stackSecretsCheck.run(devContext()))).toEqual([['unchecked', `harbor.tokenSigningSecret harbor-platform/dev/harbor-token-signing: access denied to ${CALLER}`, 'allow secretsmanager:DescribeSecret to the credentials preflight runs with']]);
  });
});
