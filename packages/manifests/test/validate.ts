import { upstreamText } from '@harbor-platform/config/testing';
import { Ajv, type ValidateFunction } from 'ajv';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parseAllDocuments } from 'yaml';

/**
 * Validation of synthesized objects against the schemas the cluster will apply:
 * the Kubernetes 1.33 OpenAPI schema (kubernetes-models 4.5, generated from
 * Kubernetes v1.33.0) and CRDs' openAPIV3Schema (Velero 1.18.1, External Secrets
 * v2.9.0, or the CRDs a chart ships). The packages' own objects and the Helm
 * charts' renderings (chart-checks.ts) go through the same functions.
 */

/** Kubernetes models by `apiVersion/kind`; their `validate()` checks types, enums and required fields. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'apps/v1/DaemonSet': DaemonSet,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'batch/v1/CronJob': CronJob,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'storage.k8s.io/v1/StorageClass': StorageClass,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': ValidatingAdmissionPolicy,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': ValidatingAdmissionPolicyBinding,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': CustomResourceDefinition,
};

const VELERO_CRDS = ['backupstoragelocations', 'volumesnapshotlocations', 'schedules'];

export interface CrdSchema {
  readonly validate: ValidateFunction;
  readonly schema: any;
}

/** Validators of CustomResourceDefinition objects' versions, by `apiVersion/kind` (added to `into`). */
export function crdSchemas(crds: any[], into = new Map<string, CrdSchema>()): Map<string, CrdSchema> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  for (const crd of crds) {
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const version of crd.spec.versions) {
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

/** Velero CRD validators by `apiVersion/kind`, or undefined when the upstream folder is missing. */
export function veleroSchemas(): Map<string, CrdSchema> | undefined {
  return upstreamCrds(VELERO_CRDS.map((name) => `velero-v1.18.1/velero.io_${name}.yaml`));
}

const EXTERNAL_SECRETS_CRDS = ['external-secrets.io_externalsecrets', 'external-secrets.io_clustersecretstores', 'external-secrets.io_secretstores', 'external-secrets.io_clusterexternalsecrets', 'generators.external-secrets.io_passwords'];

/** External Secrets Operator v2.9.0 CRD validators, or undefined when the upstream folder is missing. */
export function externalSecretsSchemas(into = new Map<string, CrdSchema>()): Map<string, CrdSchema> | undefined {
  return upstreamCrds(EXTERNAL_SECRETS_CRDS.map((name) => `external-secrets-v2.9.0/${name}.yaml`), into);
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

/** Schema errors of one object, as "Kind/name: path: message" lines; empty when valid. */
export function schemaErrors(obj: any, crds: Map<string, CrdSchema>): string[] {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const where = `${obj.kind}/${obj.metadata?.name}`;
  const Model = MODELS[key];
  if (Model) {
    try {
      new Model(obj).validate();
      return [];
    } catch (e) {
      return [`${where}: ${(e as Error).message}`];
    }
  }
  const crd = crds.get(key);
  if (crd) {
    const errors = crd.validate(obj) ? [] : (crd.validate.errors ?? []).map((e) => `${where}: ${e.instancePath} ${e.message}`);
    return [...errors, ...unknownFields(obj, crd.schema).map((f) => `${where}: unknown field ${f}`)];
  }
  return [`${where}: no schema for ${key}: add its model or CRD to the validator`];
}
