import { join } from 'node:path';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib/core';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults.js';
import { PropsCheck } from '../errors.js';

export interface TokenSigningKeyProps {
  /** Secrets Manager name of the secret (`harbor.tokenSigningSecret`). */
  readonly secretName: string;
  /** JSON keys of the PEM private key and certificate in the secret. */
  readonly fields: { readonly privateKey: string; readonly certificate: string };
  /** Key that encrypts the secret (the platform secrets' key). */
  readonly encryptionKey: kms.IKey;
  /**
   * Days the self-signed certificate is valid. Harbor signs with the key and does not read
   * the certificate's dates, so this only bounds what the certificate claims.
   * @default DEFAULTS.tokenSigning.validityDays
   */
  readonly validityDays?: number;
}

/**
 * The key with which Harbor's core signs registry tokens, in Secrets Manager. Secrets
 * Manager generates passwords, not key pairs, so a custom resource (a small Lambda with
 * read and write access to this one secret) fills the secret once with an RSA key and a
 * self-signed certificate, and leaves a filled secret alone on every later deploy. External
 * Secrets syncs it into the kubernetes.io/tls Secret named by the chart's `core.secretName`,
 * so the key is the same for every Helm render, every core replica and every restore.
 * @see https://github.com/goharbor/harbor-helm/blob/v1.19.1/values.yaml (core.secretName)
 */
export class TokenSigningKey extends Construct {
  readonly secret: secretsmanager.Secret;
  /** The custom resource that fills the secret: what must run before anything reads it. */
  readonly filled: CustomResource;

  constructor(scope: Construct, id: string, props: TokenSigningKeyProps) {
    super(scope, id);
    const validityDays = props.validityDays ?? DEFAULTS.tokenSigning.validityDays;
    new PropsCheck('TokenSigningKey')
      .require(Number.isInteger(validityDays) && validityDays >= 1, `validityDays: ${validityDays}: use a whole number of days, at least 1`)
      .require(props.fields.privateKey !== props.fields.certificate, `fields: privateKey and certificate are both "${props.fields.privateKey}": give each its own JSON key`)
      .throwIfAny();

    // Created with a generated placeholder (Secrets Manager needs a value); the custom resource replaces it.
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: "Harbor core's registry token signing key and certificate (PEM)",
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.secret, [
      { id: 'AwsSolutions-SMG4', reason: 'Rotating the token signing key invalidates the tokens in flight and needs core restarted: a runbook step (empty the secret, redeploy), not an unattended Lambda.' },
    ]);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: DEFAULTS.tokenSigning.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Fills the Harbor token signing secret once',
    });
    logGroup.grantWrite(role);
    // This secret only: read to see whether it is filled, write to fill it (grants include its KMS key).
    this.secret.grantRead(role);
    this.secret.grantWrite(role);

    const handler = new lambda.Function(this, 'Handler', {
      runtime: DEFAULTS.tokenSigning.runtime,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(join(import.meta.dirname, '..', '..', 'assets', 'token-signing-key')),
      role,
      logGroup,
      timeout: Duration.minutes(2),
      // RSA key generation is CPU-bound; Lambda's CPU grows with memory.
      memorySize: 1024,
      description: 'Fills the Harbor token signing secret with an RSA key and self-signed certificate, once',
    });
    NagSuppressions.addResourceSuppressions(role, [
      { id: 'AwsSolutions-IAM5', reason: "The log group's streams (<log group ARN>:*), which CloudWatch Logs names at run time.", appliesTo: [{ regex: '/^Resource::<.*Logs.*\\.Arn>:\\*$/' }] },
    ], true);

    this.filled = new CustomResource(this, 'Fill', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::HarborTokenSigningKey',
      properties: {
        SecretId: this.secret.secretArn,
        PrivateKeyField: props.fields.privateKey,
        CertificateField: props.fields.certificate,
        CommonName: DEFAULTS.tokenSigning.commonName,
        ValidityDays: String(validityDays),
      },
    });
  }
}
