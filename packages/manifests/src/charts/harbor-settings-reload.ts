import { HARBOR_SECRETS, SERVICE_ACCOUNTS, type EnvironmentPlan, type PlatformImageRefs } from '@harbor-platform/config';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { Construct } from 'constructs';
import { DNS } from '../private/network-peers.js';
import { restrictedContainer, restrictedPod } from '../private/security.js';

export interface HarborSettingsReloadChartProps {
  /** Harbor's namespace (`names.namespaces.harbor`). */
  readonly plan: Pick<EnvironmentPlan, 'names'>;
  /** The ops CLI image. */
  readonly images: Pick<PlatformImageRefs, 'ops'>;
}

export interface HarborSettingsReloadRbacChartProps {
  /** Harbor's namespace and release (`names.namespaces.harbor`, `names.releases.harbor`: core's Deployment is `<release>-core`). */
  readonly plan: Pick<EnvironmentPlan, 'names'>;
}

/** Labels of the settings-reload pods (their NetworkPolicy selects them). */
export const SETTINGS_RELOAD_LABELS = { 'app.kubernetes.io/name': SERVICE_ACCOUNTS.settingsReload } as const;

/**
 * How often the reload looks at the settings Secret: a rotated LDAP bind password reaches
 * core within External Secrets' refresh (1 h) plus this. Each run is two reads.
 */
const SCHEDULE = '*/5 * * * *';
const OPS_UID = 1000;

/**
 * Restarts Harbor's core when a rotated LDAP bind password reaches its settings Secret:
 * core reads `CONFIG_OVERWRITE_JSON` only at start, and a Secret's new value never reaches
 * the environment of a running pod. Every few minutes the ops CLI's
 * `harbor-settings-reload` compares the Secret's SHA-256 with an annotation of core's pod
 * template and sets the annotation when they differ, which rolls core. Its service
 * account may only read that Secret and read and patch that Deployment (the Role is
 * applied by the CDK app: an RBAC object here would need escalate rights from the drift
 * check's dry runs); its egress is DNS and HTTPS (the API server).
 */
export class HarborSettingsReloadChart extends Chart {
  constructor(scope: Construct, id: string, props: HarborSettingsReloadChartProps) {
    const namespace = props.plan.names.namespaces.harbor;
    super(scope, id, { namespace });
    const name = SERVICE_ACCOUNTS.settingsReload;

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name, labels: { ...SETTINGS_RELOAD_LABELS } } });

    const pod = { labels: { ...SETTINGS_RELOAD_LABELS } };
    new k8s.KubeCronJob(this, 'CronJob', {
      metadata: { name, labels: { ...SETTINGS_RELOAD_LABELS } },
      spec: {
        schedule: SCHEDULE,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 300,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: pod,
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 240,
            template: {
              metadata: pod,
              spec: {
                serviceAccountName: name,
                restartPolicy: 'Never',
                securityContext: restrictedPod(OPS_UID),
                containers: [
                  {
                    name,
                    // The ops CLI image, the one the registry-data backup runs.
                    image: props.images.ops,
                    command: ['harbor-platform'],
                    args: ['harbor-settings-reload', '--namespace', namespace],
                    env: [{ name: 'HOME', value: '/tmp' }],
                    resources: {
                      requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                      limits: { memory: k8s.Quantity.fromString('256Mi') },
                    },
                    securityContext: restrictedContainer(),
                    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                  },
                ],
                volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
              },
            },
          },
        },
      },
    });

    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name },
      spec: {
        podSelector: { matchLabels: { ...SETTINGS_RELOAD_LABELS } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          // The API server (its endpoints are ENIs in the VPC, or the public endpoint).
          { ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(443) }] },
          DNS,
        ],
      },
    });
  }
}

/**
 * The reload's RBAC: get on the settings Secret, get and patch on core's Deployment, by
 * name. Not part of `addPlatformCharts` (whose objects drift compares with `kubectl diff`:
 * a dry run of a Role is refused to whoever does not hold its rules); the CDK app applies
 * it beside them.
 */
export class HarborSettingsReloadRbacChart extends Chart {
  constructor(scope: Construct, id: string, props: HarborSettingsReloadRbacChartProps) {
    const names = props.plan.names;
    const namespace = names.namespaces.harbor;
    super(scope, id, { namespace });
    const name = SERVICE_ACCOUNTS.settingsReload;
    const metadata = { name, labels: { ...SETTINGS_RELOAD_LABELS } };
    new k8s.KubeRole(this, 'Role', {
      metadata,
      rules: [
        { apiGroups: [''], resources: ['secrets'], resourceNames: [HARBOR_SECRETS.userSettings], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: [`${names.releases.harbor}-core`], verbs: ['get', 'patch'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    });
  }
}
