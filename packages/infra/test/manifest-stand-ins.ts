import type { EnvironmentPlan, PlatformImageRefs } from '@harbor-platform/config';
import { ApiObject, App, Chart } from 'cdk8s';
import type { DrillGuardProps, IPlatformManifests, PlatformWorkloadCharts, RealWrites, RenderedObject } from '../src/index.js';

/** The workload chart roles, in the order the stand-in applies them. */
const ROLES = ['namespaces', 'storage', 'secretStore', 'harborSecrets', 'minio', 'minioProvisioning', 'networkPolicies', 'registryBackup', 'velero'] as const;

/**
 * Minimal charts satisfying infra's PlatformWorkloadCharts, built with cdk8s (not packages/manifests,
 * which infra does not depend on): the namespaces chart creates the plan's namespaces; every other
 * chart holds one ConfigMap named `stand-in-<role>` (the minio chart's data holds the image references).
 * Each chart after the one before it, so `node.dependencies` is exercised.
 */
export function standInWorkloads(names: EnvironmentPlan['names'], images: PlatformImageRefs): PlatformWorkloadCharts {
  const app = new App();
  const charts: Record<string, Chart> = {};
  let previous: Chart | undefined;
  for (const role of ROLES) {
    const chart = new Chart(app, role);
    if (role === 'namespaces') {
      for (const ns of [names.namespaces.harbor, names.namespaces.minio, names.namespaces.velero]) {
        new ApiObject(chart, ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      }
    } else {
      new ApiObject(chart, 'config', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `stand-in-${role}`, namespace: names.namespaces.harbor },
        ...(role === 'minio' && { data: { ...images } }),
      });
    }
    if (previous) chart.addDependency(previous);
    charts[role] = chart;
    previous = chart;
  }
  const reload = new Chart(new App(), 'settings-reload-rbac');
  new ApiObject(reload, 'role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'stand-in-reload', namespace: names.namespaces.harbor } });
  const c = charts as Record<(typeof ROLES)[number], Chart>;
  return { ...c, inOrder: ROLES.map((r) => c[r]), settingsReloadRbac: reload };
}

/** What a stand-in policy renderer was asked for, written into its one object's `spec` so tests can read it from the template. */
export interface RecordedPolicy {
  readonly kind: 'DryRunOnly' | 'DiffAccess' | 'DrillGuard';
  readonly props:
    | { readonly group: string; readonly name: string; readonly realWrites?: RealWrites; readonly objects?: readonly RenderedObject[] }
    | DrillGuardProps;
}

/** One ConfigMap per rendered policy, recording the props infra passed (its `data.props`, JSON). */
function recorded(kind: RecordedPolicy['kind'], props: RecordedPolicy['props']): Record<string, any>[] {
  return [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: props.name, labels: { 'stand-in': kind } }, data: { props: JSON.stringify(props) } }];
}

/** The stand-in of every manifest a platform stack takes: workloads as above, policies as recorded ConfigMaps. */
export function standInManifests(plan: Pick<EnvironmentPlan, 'names'>): IPlatformManifests {
  return {
    workloads: (images) => standInWorkloads(plan.names, images),
    dryRunOnlyPolicy: (props) => recorded('DryRunOnly', props),
    diffAccess: (props) => recorded('DiffAccess', props),
    drillGuard: (props) => recorded('DrillGuard', props),
  };
}
