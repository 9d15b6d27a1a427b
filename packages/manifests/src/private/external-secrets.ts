import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

/**
 * Typed External Secrets Operator objects (API `external-secrets.io/v1`, the only one
 * ESO 2.x serves), written by hand for the fields this platform uses: the CRDs carry
 * every provider and would generate tens of thousands of lines for two small objects.
 * Field names follow the ESO v2.9.0 CRDs, which the tests validate them against.
 */

export const EXTERNAL_SECRETS_API = 'external-secrets.io/v1';

/** One value read from the store. */
export interface ExternalSecretData {
  /** Key in the target Secret, or the template variable when a template is set. */
  readonly secretKey: string;
  readonly remoteRef: {
    /** Secrets Manager secret name. */
    readonly key: string;
    /** JSON key inside the secret. @default - the whole secret string */
    readonly property?: string;
  };
}

export interface ExternalSecretSpec {
  readonly secretStoreRef: { readonly kind: 'ClusterSecretStore' | 'SecretStore'; readonly name: string };
  /**
   * `Periodic` follows the store at `refreshInterval`; `OnChange` syncs only when
   * this object changes (for values derived with a random salt, such as htpasswd).
   * @default Periodic
   */
  readonly refreshPolicy?: 'Periodic' | 'OnChange' | 'CreatedOnce';
  /** @default 1h */
  readonly refreshInterval?: string;
  readonly target: {
    readonly name: string;
    /** `Owner`: the Secret is deleted with this object and re-created when changed by hand. */
    readonly creationPolicy: 'Owner';
    /** `Retain`: a secret deleted in the store does not delete the Secret (workloads keep running). */
    readonly deletionPolicy: 'Retain';
    /** Go templates (ESO template engine v2, with sprig) computing the Secret's keys from the data. */
    readonly template?: { readonly engineVersion: 'v2'; readonly type?: string; readonly data: Record<string, string> };
  };
  readonly data: ExternalSecretData[];
}

export interface ExternalSecretProps {
  readonly metadata: ApiObjectMetadata & { name: string; namespace: string };
  readonly spec: ExternalSecretSpec;
}

/** A Kubernetes Secret synced from AWS Secrets Manager. */
export class ExternalSecret extends ApiObject {
  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id, { apiVersion: EXTERNAL_SECRETS_API, kind: 'ExternalSecret', metadata: props.metadata, spec: props.spec });
  }
}

export interface ClusterSecretStoreProps {
  readonly metadata: ApiObjectMetadata & { name: string };
  readonly spec: {
    readonly provider: { readonly aws: { readonly service: 'SecretsManager'; readonly region: string } };
    /** Namespaces allowed to read through this store. */
    readonly conditions: { readonly namespaces: string[] }[];
  };
}

/**
 * AWS Secrets Manager for the whole cluster. No `auth` block: the operator uses its
 * own Pod Identity role, whose policy the CDK app limits to the platform's secrets.
 */
export class ClusterSecretStore extends ApiObject {
  constructor(scope: Construct, id: string, props: ClusterSecretStoreProps) {
    super(scope, id, { apiVersion: EXTERNAL_SECRETS_API, kind: 'ClusterSecretStore', metadata: props.metadata, spec: props.spec });
  }
}

/** What to read for one key of a synced Secret. */
export interface RemoteValue {
  /** Secrets Manager secret name (from the config). */
  readonly secret: string;
  /** JSON key inside it. @default - the whole secret string */
  readonly property?: string;
}

export interface SyncedSecretOptions {
  readonly name: string;
  readonly namespace: string;
  readonly store: string;
  /** Target key (or template variable) -> where its value lives. */
  readonly data: Record<string, RemoteValue>;
  /** Target key -> Go template over the variables in `data`. @default - the data keys as they are */
  readonly template?: Record<string, string>;
  /** @default Periodic */
  readonly refreshPolicy?: ExternalSecretSpec['refreshPolicy'];
  /** Type of the target Secret (with a template only). @default Opaque */
  readonly type?: string;
}

/** An ExternalSecret from the ClusterSecretStore: the only way a secret value reaches the cluster. */
export function syncSecret(scope: Construct, id: string, o: SyncedSecretOptions): ExternalSecret {
  return new ExternalSecret(scope, id, {
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      secretStoreRef: { kind: 'ClusterSecretStore', name: o.store },
      ...(o.refreshPolicy && o.refreshPolicy !== 'Periodic' ? { refreshPolicy: o.refreshPolicy } : { refreshInterval: '1h' }),
      target: {
        name: o.name,
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        ...(o.template ? { template: { engineVersion: 'v2', type: o.type ?? 'Opaque', data: o.template } } : {}),
      },
      data: Object.entries(o.data).map(([secretKey, v]) => ({
        secretKey,
        remoteRef: { key: v.secret, ...(v.property ? { property: v.property } : {}) },
      })),
    },
  });
}
