import { crdErrors, veleroSchemas } from '@harbor-platform/config/testing';
import { describe, expect, it } from 'vitest';
import { backupObject, restoreObject } from '../src/velero/objects.js';

// Velero 1.18.1's own CRDs (../shared/upstream): what the API server would refuse or prune.
const crds = veleroSchemas();

describe('the Backups and Restores ops creates, against Velero 1.18.1\'s CRDs', () => {
  it('has the upstream CRDs to check against', () => {
    expect(crds?.has('velero.io/v1/Backup') && crds.has('velero.io/v1/Restore')).toBe(true);
  });

  it('writes a safety Backup the CRD accepts, with no field it would prune', () => {
    const backup = backupObject({ name: 'pre-restore-20261130t101500z', veleroNamespace: 'velero', includedNamespaces: ['harbor', 'minio'], labels: { purpose: 'safety' } });
    expect(crdErrors(backup, crds!)).toEqual([]);
  });

  it('writes a drill Restore (mapped namespaces, resource modifiers, exclusions) the CRD accepts', () => {
    const restore = restoreObject({
      name: 'drill-20261130t101500z',
      veleroNamespace: 'velero',
      backupName: 'daily-20261130040000',
      includedNamespaces: ['harbor', 'minio'],
      namespaceMapping: { harbor: 'harbor-drill', minio: 'minio-drill' },
      resourceModifierConfigMap: 'harbor-platform-drill-dev',
      excludedResources: ['ingresses.networking.k8s.io'],
    });
    expect(crdErrors(restore, crds!)).toEqual([]);
  });

  it('would be told of a field the CRD does not declare (the check can fail)', () => {
    const restore = restoreObject({ name: 'r', veleroNamespace: 'velero', backupName: 'b', includedNamespaces: ['harbor'] });
    const misspelt = { ...restore, spec: { ...restore.spec, restorePv: true } };
    expect(crdErrors(misspelt, crds!)).toEqual(['Restore/r: unknown field spec.restorePv']);
  });
});
