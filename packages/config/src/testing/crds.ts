import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { upstreamText } from './upstream.js';

/**
 * Validation of custom resources against the `openAPIV3Schema` of their CustomResourceDefinitions
 * (Velero 1.18.1 and External Secrets v2.9.0 from `../shared/upstream`, or the CRDs a chart ships),
 * the way the API server checks them: only versions the CRD serves, and fields its structural schema
 * does not declare reported as unknown.
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema
 */

export interface CrdSchema {
  readonly validate: ValidateFunction;
  readonly schema: any;
}

/**
 * Validators of the served versions of CustomResourceDefinition objects, by `group/version/kind`
 * (added to `into`). A version with `served: false` (External Secrets 2.x keeps v1beta1 so) gets
 * none: the API server refuses objects of it.
 */
export function crdSchemas(crds: any[], into = new Map<string, CrdSchema>()): Map<string, CrdSchema> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  for (const crd of crds) {
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const version of crd.spec.versions) {
      if (version.served === false) continue;
      const schema = version.schema.openAPIV3Schema;
      into.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, { validate: ajv.compile(schema), schema });
    }
  }
  return into;
}

/** The CRDs in upstream files (relative to ../shared/upstream), or undefined when one is missing. */
function upstreamCrds(files: string[], into = new Map<string, CrdSchema>()): Map<string, CrdSchema> | undefined {
  for (const file of files) {
    const text = upstreamText(file);
    if (text === undefined) return undefined;
    crdSchemas(parseAllDocuments(text).map((d) => d.toJS()), into);
  }
  return into;
}

const VELERO_CRDS = ['backupstoragelocations', 'volumesnapshotlocations', 'schedules', 'backups', 'restores'];

/** Velero 1.18.1 CRD validators by `apiVersion/kind`, or undefined when the upstream folder is missing. */
export function veleroSchemas(into = new Map<string, CrdSchema>()): Map<string, CrdSchema> | undefined {
  return upstreamCrds(VELERO_CRDS.map((name) => `velero-v1.18.1/velero.io_${name}.yaml`), into);
}

/** The External Secrets release whose CRDs are in ../shared/upstream (the chart the platform installs is its chart). */
export const EXTERNAL_SECRETS_CRD_RELEASE = '2.9.0';

const EXTERNAL_SECRETS_CRDS = ['external-secrets.io_externalsecrets', 'external-secrets.io_clustersecretstores', 'external-secrets.io_secretstores', 'external-secrets.io_clusterexternalsecrets', 'generators.external-secrets.io_passwords'];

/** External Secrets Operator v2.9.0 CRD validators, or undefined when the upstream folder is missing. */
export function externalSecretsSchemas(into = new Map<string, CrdSchema>()): Map<string, CrdSchema> | undefined {
  return upstreamCrds(EXTERNAL_SECRETS_CRDS.map((name) => `external-secrets-v${EXTERNAL_SECRETS_CRD_RELEASE}/${name}.yaml`), into);
}

/**
 * Fields the API server would prune or refuse as unknown: properties a structural
 * schema does not declare (unless it preserves unknown fields or allows any keys).
 */
export function unknownFields(value: unknown, schema: any, path = ''): string[] {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields']) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownFields(v, schema.items, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = path ? `${path}.${k}` : k;
    // The API server checks ObjectMeta itself; CRD schemas leave it as a bare object.
    if (p === 'metadata') return [];
    if (schema.properties?.[k]) return unknownFields(v, schema.properties[k], p);
    if (schema.additionalProperties) return unknownFields(v, schema.additionalProperties === true ? undefined : schema.additionalProperties, p);
    return [p];
  });
}

/**
 * Errors of one custom resource against its CRD, as "Kind/name: path: message" lines; empty when
 * valid, undefined when `crds` has no served version of its `apiVersion/kind`.
 */
export function crdErrors(obj: any, crds: Map<string, CrdSchema>): string[] | undefined {
  const crd = crds.get(`${obj.apiVersion}/${obj.kind}`);
  if (!crd) return undefined;
  const where = `${obj.kind}/${obj.metadata?.name}`;
  const errors = crd.validate(obj) ? [] : (crd.validate.errors ?? []).map((e) => `${where}: ${e.instancePath} ${e.message}`);
  return [...errors, ...unknownFields(obj, crd.schema).map((f) => `${where}: unknown field ${f}`)];
}
