export { RegistryClient, checkRepositoryName, nextLink, type BlobRead, type FetchedManifest, type ManifestHead } from './client.js';
export type { RegistryHttpProps } from './http.js';
export { RegistryHttpError, RegistryUnreachableError } from './errors.js';
export { credentialsFromEnv, parseChallenges, REGISTRY_PASSWORD_ENV, REGISTRY_USERNAME_ENV, type Challenge, type RegistryCredentials } from './auth.js';
export { digestOf, hashStream, isDigest, parseDigest, type Digest } from './digest.js';
export { manifestReferences, MEDIA_TYPES, type Descriptor, type ManifestReferences } from './manifest.js';
export { runSmoke, type SmokeOptions, type SmokeResult } from './smoke.js';
export { syntheticImage, type SyntheticImage } from './synthetic.js';
export * as storageLayout from './storage-layout.js';
