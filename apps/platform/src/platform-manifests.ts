import type { EnvironmentConfig, EnvironmentPlan } from '@harbor-platform/config';
import type { IPlatformManifests, PlatformWorkloadCharts } from '@harbor-platform/infra';
import { addPlatformCharts, chartsInOrder, DiffAccessChart, DrillGuardPolicyChart, DryRunOnlyPolicyChart, HarborSettingsReloadRbacChart } from '@harbor-platform/manifests';
import { App as Cdk8sApp } from 'cdk8s';

/**
 * The composition of packages/manifests into packages/infra: the cdk8s charts of one
 * environment behind the interface the platform stack takes (infra does not import the
 * charts). Each call renders into a cdk8s app of its own, so chart ids never collide.
 */
export function platformManifests(config: EnvironmentConfig, plan: EnvironmentPlan): IPlatformManifests {
  return {
    workloads(images): PlatformWorkloadCharts {
      const charts = addPlatformCharts(new Cdk8sApp(), config, plan, images);
      const settingsReloadRbac = new HarborSettingsReloadRbacChart(new Cdk8sApp(), 'harbor-settings-reload-rbac', { plan });
      return { ...charts, inOrder: chartsInOrder(charts), settingsReloadRbac };
    },
    dryRunOnlyPolicy: (props) => new DryRunOnlyPolicyChart(new Cdk8sApp(), 'dry-run-only', props).toJson(),
    diffAccess: (props) => new DiffAccessChart(new Cdk8sApp(), 'diff', props).toJson(),
    drillGuard: (props) => new DrillGuardPolicyChart(new Cdk8sApp(), 'drill-guard', props).toJson(),
  };
}
