import type { EnvironmentPlan } from '@harbor-platform/config';
import { DrillError } from '../errors.js';

/**
 * Harbor's and MinIO's namespaces -> their drill namespaces. The plan lists the drill
 * namespaces in that order (plan.drill.namespaces); each must be its source plus a suffix.
 */
export function drillNamespaceMapping(plan: EnvironmentPlan): Record<string, string> {
  const sources = [plan.harbor.namespace, plan.minio.namespace];
  const targets = plan.drill.namespaces;
  if (targets.length !== sources.length) throw new DrillError(`plan.drill.namespaces has ${targets.length} names; expected ${sources.length} (Harbor's, MinIO's)`);
  const mapping: Record<string, string> = {};
  sources.forEach((source, i) => {
    const target = targets[i]!;
    if (!target.startsWith(source) || target === source) throw new DrillError(`drill namespace ${target} does not derive from ${source}`);
    mapping[source] = target;
  });
  return mapping;
}
