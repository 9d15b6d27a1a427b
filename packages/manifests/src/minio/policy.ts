/**
 * The IAM-style policy MinIO attaches to Harbor's user: exactly what Docker
 * distribution's S3 driver needs (its documented minimum), on exactly one bucket.
 */

/** On the bucket itself: listing, its region, and in-progress multipart uploads. */
export const BUCKET_ACTIONS = ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'] as const;
/** On the objects in it: read, write, delete, and multipart part listing and abort. */
export const OBJECT_ACTIONS = ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'] as const;

export interface BucketPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: { readonly Effect: 'Allow'; readonly Action: string[]; readonly Resource: string[] }[];
}

export function registryBucketPolicy(bucket: string): BucketPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: [...BUCKET_ACTIONS], Resource: [`arn:aws:s3:::${bucket}`] },
      { Effect: 'Allow', Action: [...OBJECT_ACTIONS], Resource: [`arn:aws:s3:::${bucket}/*`] },
    ],
  };
}
