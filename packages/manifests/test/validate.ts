import { upstreamText } from '@harbor-platform/config/testing';
import { Ajv, type ValidateFunction } from 'ajv';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parseAllDocuments } from 'yaml';

/**
 * Validation of synthesized objects against the schemas the cluster will apply:
 * the Kubernetes 1.33 OpenAPI schema (kubernetes-models 4.5, generated from
 * Kubernetes v1.33.0) and the Velero 1.18.1 CRDs' openAPIV3Schema.
 */

/** Kubernetes models by `apiVersion/kind`; their `validate()` checks types, enums and required fields. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'batch/v1/CronJob': CronJob,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'storage.k8s.io/v1/StorageClass': StorageClass,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': ValidatingAdmissionPolicy,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': ValidatingAdmissionPolicyBinding,
};

/** Kinds with no schema in ../shared/upstream: checked by typed classes and the tests' assertions only. */
export const UNVALIDATED_KINDS = new Set(['external-secrets.io/v1/ExternalSecret', 'external-secrets.io/v1/ClusterSecretStore']);

const VELERO_CRDS = ['backupstoragelocations', 'volumesnapshotlocations', 'schedules'];

interface CrdSchema {
  readonly validate: ValidateFunction;
  readonly schema: any;
}

/** Velero CRD validators by `apiVersion/kind`, or undefined when the upstream folder is missing. */
export function veleroSchemas(): Map<string, CrdSchema> | undefined {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const out = new Map<string, CrdSchema>();
  for (const name of VELERO_CRDS) {
    const text = upstreamText(`velero-v1.18.1/velero.io_${name}.yaml`);
    if (text === undefined) return undefined;
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS();
      for (const version of crd.spec.versions) {
        const schema = version.schema.openAPIV3Schema;
        out.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, { validate: ajv.compile(schema), schema });
      }
    }
  }
  return out;
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
export function schemaErrors(obj: any, velero: Map<string, CrdSchema>): string[] {
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
  const crd = velero.get(key);
  if (crd) {
    const errors = crd.validate(obj) ? [] : (crd.validate.errors ?? []).map((e) => `${where}: ${e.instancePath} ${e.message}`);
    return [...errors, ...unknownFields(obj, crd.schema).map((f) => `${where}: unknown field ${f}`)];
  }
  if (UNVALIDATED_KINDS.has(key)) return [];
  return [`${where}: no schema for ${key}: add its model or CRD to the validator`];
}
