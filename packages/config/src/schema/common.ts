import { z } from 'zod';
import { DNS_1123_LABEL, DNS_NAME, S3_BUCKET_NAME, SECRETS_MANAGER_NAME, s3BucketNameExtrasOk } from '../validators.js';

/**
 * Shared field types. Each refusal reads "what is wrong: how to fix it"; the
 * loader prefixes the field's path.
 */

/** Default credentials that upstream charts and images ship; refused anywhere in a config. */
export const KNOWN_DEFAULT_SECRETS = [
  'Harbor12345',
  'admin1234',
  'minioadmin',
  'changeit',
  'not-a-secure-key',
  'harbor_registry_password',
  'root123',
] as const;

/** The name of an AWS Secrets Manager secret: a reference, never a value. */
export const secretName = (what: string) =>
  z
    .string({ error: `must name the Secrets Manager secret that holds ${what}: set it to a secret name such as "harbor-platform/dev/${what.replace(/\s+/g, '-')}"` })
    .regex(SECRETS_MANAGER_NAME, {
      error: 'is not a Secrets Manager secret name: use 1-512 characters of letters, digits and /_+=.@-',
    })
    .describe(`Name of the AWS Secrets Manager secret holding ${what}. The value never appears in the config.`);

export const dnsName = z
  .string()
  .regex(DNS_NAME, { error: 'is not a DNS name: use lower-case labels of letters, digits and hyphens joined by dots, such as "harbor.example.com"' });

/** A Kubernetes namespace or object name (RFC 1123 label). */
export const k8sName = z
  .string()
  .regex(DNS_1123_LABEL, {
    error: 'is not a Kubernetes name: use at most 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit',
  });

/** S3 bucket naming rules (general purpose buckets). */
export const bucketName = z
  .string()
  .regex(S3_BUCKET_NAME, {
    error: 'is not a valid S3 bucket name: use 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
  })
  .refine(s3BucketNameExtrasOk, {
    error: 'is not a valid S3 bucket name: no adjacent dots, no dot next to a hyphen, not an IP address, no "xn--" prefix or "-s3alias" suffix',
  });

/** Kubernetes quantity of bytes with a binary suffix, e.g. `100Gi`. */
export const sizeGi = z
  .string()
  .regex(/^[1-9]\d*(Mi|Gi|Ti)$/, { error: 'is not a size: write a whole number with Mi, Gi or Ti, such as "100Gi"' });

export const cpuQuantity = z.string().regex(/^(\d+m|\d+(\.\d+)?)$/, { error: 'is not a CPU quantity: write cores ("2", "0.5") or millicores ("500m")' });
export const memoryQuantity = z.string().regex(/^[1-9]\d*(Mi|Gi)$/, { error: 'is not a memory quantity: write a whole number with Mi or Gi, such as "4Gi"' });

export const resources = z.strictObject({
  requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
  limits: z.strictObject({ cpu: cpuQuantity.optional(), memory: memoryQuantity }),
});

/** Five-field cron (validated further by the semantic rules). */
export const cron = z.string().min(1).describe('Five-field cron expression (minute hour day-of-month month day-of-week), UTC.');

/** Velero/Go duration in hours and minutes, such as `720h` or `168h0m0s`. */
export const ttl = z
  .string()
  .regex(/^(\d+h)?(\d+m)?(\d+s)?$/, { error: 'is not a duration: write hours, minutes and seconds such as "720h" or "72h30m"' })
  .refine((v) => v.length > 0 && v !== '0h', { error: 'must be a positive duration such as "720h"' });

export const absoluteUrl = z.string().min(1).describe('Absolute URL with scheme.');
