import { planImages } from '@harbor-platform/config';
import { chartCases, chartReleases, type ChartRelease } from '@harbor-platform/config/testing';
import { describe, expect, it } from 'vitest';
import { checkEnvironment, checkRelease, findingLines, namespaceLevels } from './chart-checks.js';
import { environment } from './util.js';

const SLOW = 300_000;

describe('the Harbor and Velero charts rendered with our values: schema, CRDs, Pod Security, helm lint', () => {
  for (const c of chartCases()) {
    it(`${c.name}: zero findings`, () => {
      const checks = checkEnvironment(c.config);
      if (!checks) return;
      for (const check of checks) {
        expect(check.objects.length, check.release.name).toBeGreaterThan(5);
        expect(findingLines(check), `${c.name}: ${check.release.name}`).toEqual([]);
        // Every namespace warns at restricted. Harbor 1.19.1 meets it with our values; the one
        // pod that cannot is Velero's node agent (file-system backup: root on hostPath volumes).
        const warnedObjects = [...new Set(check.warned.map((f) => f.object))];
        expect(warnedObjects, `${c.name}: ${check.release.name}`).toEqual(check.level === 'privileged' ? ['DaemonSet/node-agent'] : []);
      }
    }, SLOW);
  }
});

describe('what the checks see', () => {
  const { config } = environment('dev');
  const levels = namespaceLevels(config);
  const release = (name: string): ChartRelease => chartReleases(config).find((r) => r.name === name)!;

  it('renders Velero\'s CRD-upgrade hook Job and checks it at the velero namespace\'s restricted level', () => {
    const check = checkRelease(release('velero'), levels, { lint: false });
    if (!check) return;
    expect(check.level).toBe('restricted');
    const job = check.objects.find((o) => o.kind === 'Job' && o.metadata.name === 'velero-upgrade-crds')!;
    expect(job.metadata.annotations['helm.sh/hook']).toContain('pre-install');
    expect(job.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number) });
    // The chart's own CRDs are rendered too, and give the schemas of Velero's kinds.
    expect(check.objects.filter((o) => o.kind === 'CustomResourceDefinition').length).toBeGreaterThan(10);
  }, SLOW);

  it("runs the config's Velero and AWS plugin releases, not the chart's default image, in the server and the CRD-upgrade hook", () => {
    const check = checkRelease(release('velero'), levels, { lint: false });
    if (!check) return;
    const images = (kind: string, name: string) => {
      const pod = check.objects.find((o) => o.kind === kind && o.metadata.name === name)!.spec.template.spec;
      return [...(pod.initContainers ?? []), ...pod.containers].map((c: { image: string }) => c.image);
    };
    // Through the environment's Docker Hub pull-through cache.
    const cache = planImages(config).caches.dockerHub.repositoryBase;
    const server = `${cache}/velero/velero:v${config.velero.version.replace(/^v/, '')}`;
    expect(images('Deployment', 'velero')).toEqual([`${cache}/velero/velero-plugin-for-aws:${config.velero.awsPluginVersion}`, server]);
    // The hook installs the CRDs of the image it runs, so they follow the server's release too.
    expect(images('Job', 'velero-upgrade-crds')).toContain(server);
  }, SLOW);

  it('fails naming object, field and rule when the Velero pods lose their numeric user', () => {
    const velero = release('velero');
    const values = { ...velero.values, podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } };
    const check = checkRelease({ ...velero, values }, levels, { lint: false });
    if (!check) return;
    const lines = findingLines(check);
    for (const [object, container] of [['Job/velero-upgrade-crds', 'velero'], ['Deployment/velero', 'velero'], ['Deployment/velero', 'velero-plugin-for-aws']]) {
      const field = `spec.template.spec.${container === 'velero-plugin-for-aws' ? 'initContainers' : 'containers'}[${container}].securityContext.runAsUser`;
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${object}: ${field.replace(/[[\].]/g, '\\$&')}: runAsNonRoot is true but .*\\(rule kubelet: numeric runAsUser under runAsNonRoot, `)));
    }
  }, SLOW);

  it('fails naming object, field and rule for a restricted control', () => {
    const velero = release('velero');
    const values = { ...velero.values, containerSecurityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] } } };
    const check = checkRelease({ ...velero, values }, levels, { lint: false });
    if (!check) return;
    expect(findingLines(check)).toContainEqual(expect.stringMatching(
      /^Deployment\/velero: spec\.template\.spec\.containers\[velero\]\.securityContext\.allowPrivilegeEscalation: must be false \(rule restricted: Privilege Escalation, https:\/\/kubernetes\.io\/docs\/concepts\/security\/pod-security-standards\/#restricted\)$/,
    ));
  }, SLOW);

  it('fails naming object and field for a value that breaks the Kubernetes schema', () => {
    const harbor = release('harbor');
    const values = { ...harbor.values, core: { ...(harbor.values.core as object), replicas: 'two' } };
    const check = checkRelease({ ...harbor, values }, levels, { lint: false });
    if (!check) return;
    expect(check.schema).toEqual([expect.stringMatching(/^Deployment\/harbor-core: .*\/spec\/replicas must be integer/)]);
  }, SLOW);
});
