import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { awsFailure, isAwsError } from '../aws-errors.js';
import { finding, type PreflightCheck } from '../check.js';

const NAME = 'certificate';

/**
 * Whether one of a certificate's names covers `hostname`: the same name, or a wildcard
 * `*.<parent>` that stands for exactly one leftmost label (not the parent itself, not two
 * labels), compared without case.
 *
 * @see https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html#wildcard-domain-names
 */
export function certificateCovers(names: readonly string[], hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return names.some((raw) => {
    const name = raw.toLowerCase().replace(/\.$/, '');
    if (!name.startsWith('*.')) return name === host;
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === name.slice(2);
  });
}

/**
 * `dns.certificateArn` is an ACM certificate of the environment's account and region (the load
 * balancer's listener can only use one of its own region), ISSUED, whose domain name or
 * subject alternative names cover `dns.harborHostname` (ACM DescribeCertificate).
 *
 * @see https://docs.aws.amazon.com/acm/latest/APIReference/API_DescribeCertificate.html
 */
export const certificateCheck: PreflightCheck = {
  name: NAME,
  title: 'dns.certificateArn is ISSUED, in the region, and covers dns.harborHostname',
  needs: 'aws',
  async run({ config, aws }) {
    const { certificateArn: arn, harborHostname: host } = config.dns;
    const { region, account } = config.aws;
    const request = `aws acm request-certificate --region ${region} --domain-name ${host} --validation-method DNS, then set dns.certificateArn to its ARN`;
    const [, , , arnRegion, arnAccount] = arn.split(':');
    if (arnRegion !== region || arnAccount !== account) {
      return [finding(NAME, 'missing', `dns.certificateArn ${arn} is in ${arnAccount}/${arnRegion}; the load balancer in ${account}/${region} can only use a certificate of its own account and region`, request)];
    }
    let cert;
    try {
      cert = (await aws.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate;
    } catch (err) {
      if (isAwsError(err, 'ResourceNotFoundException')) return [finding(NAME, 'missing', `dns.certificateArn ${arn} does not exist`, request)];
      return [awsFailure(NAME, arn, 'acm:DescribeCertificate', err)];
    }
    const names = [...new Set([cert?.DomainName, ...(cert?.SubjectAlternativeNames ?? [])].filter((n): n is string => Boolean(n)))];
    const findings = [];
    if (cert?.Status !== 'ISSUED') {
      const fix = cert?.Status === 'PENDING_VALIDATION'
        ? `create the validation records it lists in the hosted zone (aws acm describe-certificate --region ${region} --certificate-arn ${arn} --query Certificate.DomainValidationOptions) and wait until it is ISSUED`
        : request;
      findings.push(finding(NAME, 'missing', `${arn} is ${cert?.Status ?? 'of unknown status'}, not ISSUED`, fix));
    }
    if (!certificateCovers(names, host)) {
      findings.push(finding(NAME, 'missing', `${arn} names ${names.join(', ') || 'no domain'}, none of which covers dns.harborHostname ${host}`, request));
    }
    return findings.length ? findings : [finding(NAME, 'ok', `${arn} is ISSUED and covers ${host} (${names.join(', ')})`)];
  },
};
