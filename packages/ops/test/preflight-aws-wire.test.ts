/**
 * preflight's reading of AWS's answers through the SDK's own parsers: each client gets a
 * request handler that answers with the bodies AWS's API references document (the query
 * protocol's XML for STS, IAM and CloudFormation, REST-XML for Route 53, JSON for ACM and
 * SSM), so the error names and fields the checks rely on are the ones the SDK produces.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CALLER, deniedMessage, devContext } from './support/preflight.js';
import { AwsClients, type AwsClientOptions } from '../src/preflight/aws-clients.js';
import { awsAccountCheck } from '../src/preflight/checks/aws-account.js';
import { cdkBootstrapCheck } from '../src/preflight/checks/cdk-bootstrap.js';
import { certificateCheck } from '../src/preflight/checks/certificate.js';
import { githubOidcProviderCheck } from '../src/preflight/checks/github-oidc-provider.js';
import { githubStackCheck } from '../src/preflight/checks/github-stack.js';
import { hostedZoneCheck } from '../src/preflight/checks/hosted-zone.js';

interface Answer {
  readonly status: number;
  readonly body: string;
}
interface SeenRequest {
  readonly hostname: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

const xmlError = (namespace: string, code: string, message: string) =>
  `<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>4a1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d</RequestId></ErrorResponse>`;

/** Clients whose requests are answered by `answer` (by the service's host name), as AWS would over HTTPS. */
function clientsAnswering(answer: (service: string, r: SeenRequest) => Answer): AwsClients {
  const requestHandler = {
    handle: async (request: SeenRequest) => {
      const service = request.hostname.split('.')[0]!;
      const { status, body } = answer(service, request);
      const type = body.startsWith('<') ? 'text/xml' : 'application/x-amz-json-1.1';
      return { response: { statusCode: status, headers: { 'content-type': type, 'x-amzn-requestid': '4a1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' }, body: Readable.from([Buffer.from(body)]) } };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  const options: AwsClientOptions = {
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
    requestHandler: requestHandler as unknown as AwsClientOptions['requestHandler'],
  };
  return new AwsClients('ap-northeast-2', options);
}

const unexpected = (service: string): Answer => {
  throw new Error(`no answer for ${service}`);
};

describe("preflight reads AWS's own answers", () => {
  it('STS: an expired token (query XML) is "no valid credentials"', async () => {
    const aws = clientsAnswering((s) => (s === 'sts' ? { status: 403, body: xmlError('https://sts.amazonaws.com/doc/2011-06-15/', 'ExpiredToken', 'The security token included in the request is expired') } : unexpected(s)));
    const [f] = await awsAccountCheck.run(devContext({ aws }));
    expect(f).toMatchObject({ status: 'unchecked', message: 'account 111111111111: no valid AWS credentials (ExpiredToken: The security token included in the request is expired)' });
  });

  it('IAM: a refused ListOpenIDConnectProviders (query XML) names the action; a listed provider (query XML) is found', async () => {
    const refused = clientsAnswering((s) => (s === 'iam' ? { status: 403, body: xmlError('https://iam.amazonaws.com/doc/2010-05-08/', 'AccessDenied', deniedMessage('iam:ListOpenIDConnectProviders', 'arn:aws:iam::111111111111:oidc-provider/*')) } : unexpected(s)));
    expect(await githubOidcProviderCheck.run(devContext({ aws: refused }))).toEqual([
      { check: 'github-oidc-provider', status: 'unchecked', message: `the token.actions.githubusercontent.com provider: access denied to ${CALLER}`, fix: 'allow iam:ListOpenIDConnectProviders to the credentials preflight runs with' },
    ]);
    const provider = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    const listed = clientsAnswering((s) => s === 'iam'
      ? { status: 200, body: `<ListOpenIDConnectProvidersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListOpenIDConnectProvidersResult><OpenIDConnectProviderList><member><Arn>${provider}</Arn></member></OpenIDConnectProviderList></ListOpenIDConnectProvidersResult><ResponseMetadata><RequestId>4a1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d</RequestId></ResponseMetadata></ListOpenIDConnectProvidersResponse>` }
      : s === 'cloudformation' ? { status: 400, body: xmlError('http://cloudformation.amazonaws.com/doc/2010-05-15/', 'ValidationError', 'Stack with id harbor-platform-dev-github does not exist') } : unexpected(s));
    expect((await githubOidcProviderCheck.run(devContext({ aws: listed })))[0]).toMatchObject({ status: 'missing', message: `the account has ${provider} and github.oidcProviderArn does not name it` });
  });

  it("CloudFormation: DescribeStacks' ValidationError for a missing stack (query XML) is a stack not deployed", async () => {
    const seen: SeenRequest[] = [];
    const aws = clientsAnswering((s, r) => (seen.push(r), s === 'cloudformation' ? { status: 400, body: xmlError('http://cloudformation.amazonaws.com/doc/2010-05-15/', 'ValidationError', 'Stack with id harbor-platform-dev-github does not exist') } : unexpected(s)));
    expect((await githubStackCheck.run(devContext({ aws })))[0]).toMatchObject({ status: 'missing', message: 'harbor-platform-dev-github is not deployed in 111111111111/ap-northeast-2' });
    expect(String(seen[0]!.body)).toContain('StackName=harbor-platform-dev-github');
  });

  it("SSM's ParameterNotFound (JSON) and no CDKToolkit stack are an account not bootstrapped", async () => {
    const aws = clientsAnswering((s) => s === 'ssm'
      ? { status: 400, body: JSON.stringify({ __type: 'ParameterNotFound' }) }
      : s === 'cloudformation' ? { status: 400, body: xmlError('http://cloudformation.amazonaws.com/doc/2010-05-15/', 'ValidationError', 'Stack with id CDKToolkit does not exist') } : unexpected(s));
    expect((await cdkBootstrapCheck.run(devContext({ aws })))[0]).toMatchObject({ status: 'missing', message: 'aws://111111111111/ap-northeast-2 is not bootstrapped (no CDKToolkit stack, no /cdk-bootstrap/hnb659fds/version)' });
  });

  it('ACM: DescribeCertificate (JSON, dates in epoch seconds) and its AccessDeniedException', async () => {
    const arn = 'arn:aws:acm:ap-northeast-2:111111111111:certificate/0b5d3c2e-1f4a-4c7e-9a1b-2d3e4f5a6b7c';
    const issued = clientsAnswering((s) => (s === 'acm'
      ? { status: 200, body: JSON.stringify({ Certificate: { CertificateArn: arn, DomainName: 'dev.example.com', SubjectAlternativeNames: ['dev.example.com', '*.dev.example.com'], Status: 'ISSUED', Type: 'AMAZON_ISSUED', NotBefore: 1.7619552E9, NotAfter: 1.7965727E9, InUseBy: [] } }) }
      : unexpected(s)));
    expect((await certificateCheck.run(devContext({ aws: issued })))[0]).toMatchObject({ status: 'ok' });
    const refused = clientsAnswering((s) => (s === 'acm' ? { status: 400, body: JSON.stringify({ __type: 'AccessDeniedException', Message: deniedMessage('acm:DescribeCertificate', arn) }) } : unexpected(s)));
    expect((await certificateCheck.run(devContext({ aws: refused })))[0]).toMatchObject({ status: 'unchecked', fix: 'allow acm:DescribeCertificate to the credentials preflight runs with' });
  });

  it('Route 53: a refused GetHostedZone (REST-XML) names the action', async () => {
    const aws = clientsAnswering((s) => (s === 'route53' ? { status: 403, body: xmlError('https://route53.amazonaws.com/doc/2013-04-01/', 'AccessDenied', `User: ${CALLER} is not authorized to perform: route53:GetHostedZone on resource: arn:aws:route53:::hostedzone/Z1111111111111EXAMPLE because no identity-based policy allows the route53:GetHostedZone action`) } : unexpected(s)));
    expect((await hostedZoneCheck.run(devContext({ aws })))[0]).toMatchObject({ status: 'unchecked', message: 'dns.hostedZoneId Z1111111111111EXAMPLE: access denied to ' + CALLER, fix: 'allow route53:GetHostedZone to the credentials preflight runs with' });
  });
});
