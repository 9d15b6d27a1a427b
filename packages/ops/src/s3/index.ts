export { ObjectStore, type StoredObject } from './store.js';
export { S3StoreError } from './errors.js';
export { endpointFromEnv, formatLocation, parseS3Url, s3EnvNames, type S3EndpointConfig, type S3Location, type S3Role } from './location.js';
export { planCopy, type CopyPlan } from './copy-plan.js';
export { executeCopy, type CopyResult } from './copy.js';
