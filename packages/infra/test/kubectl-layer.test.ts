import { SUPPORTED_KUBERNETES_VERSIONS as VALIDATED } from '@harbor-platform/config';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_KUBERNETES_VERSIONS as LAYERS } from '../src/cluster/kubectl-layer.js';

describe('Kubernetes versions', () => {
  it('has a kubectl layer for every version that validate accepts, and no other', () => {
    // validate refuses a version before synthesis; the cluster construct must be able to build every one it accepts.
    expect([...LAYERS].sort()).toEqual([...VALIDATED].sort());
  });
});
