import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { showPath, valueLeaves, withChangedLeaf, withoutLeaf } from './value-paths.js';
import { chartCases, chartReleases, renderChartAsync, upstreamChart, type ChartRelease } from '../src/testing/index.js';

/**
 * Every value the builders emit must change what the chart renders: rendered without the
 * key, or with another value in it, the output differs (or the chart refuses it). A key
 * the templates ignore is dead configuration that reads as if it did something.
 */

/**
 * Keys the templates may ignore on purpose: the chart's default passwords, blanked. While the
 * values name an existing Secret the chart does not read them; they are blank so that a
 * dropped reference fails closed instead of falling back to the chart's published password.
 * Any other ignored key fails the test.
 */
const BLANKED_DEFAULT_PASSWORDS: Record<string, readonly string[]> = {
  harbor: ['harborAdminPassword', 'secretKey', 'registry.credentials.password', 'database.internal.password', 'database.external.password'],
  velero: [],
};

/**
 * What a chart renders differently on every run, whatever the values: nothing. (The Harbor
 * chart would generate its core's token signing key with `genCA` at every render; our values
 * name the Secret that holds it, `core.secretName`.)
 */
const RANDOM_PER_RENDER: Record<string, string[]> = {
  harbor: [],
  velero: [],
};

type Objects = Record<string, any>;

async function render(release: ChartRelease, chart: string, values: Record<string, unknown>): Promise<Objects | string> {
  try {
    return Object.fromEntries((await renderChartAsync({ ...release, chart, values })).map((o) => [`${o.kind}/${o.metadata?.name}`, o]));
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
}

/** `f` over `items`, as many at a time as there are cores. */
async function mapConcurrently<T, R>(items: T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
  return out;
}

/** Paths (`Kind/name: a.b.c`) where two renderings differ. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (a === b) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as any)[k], (b as any)[k], path ? (path.includes(': ') ? `${path}.${k}` : `${path}: ${k}`) : k));
  }
  return [path];
}

/** Leaves whose removal and change both leave the rendering as it was (random paths aside). */
async function ignoredLeaves(release: ChartRelease, chart: string, random: string[]): Promise<string[]> {
  const base = await render(release, chart, release.values);
  const same = async (values: Record<string, unknown>) => {
    const r = await render(release, chart, values);
    return typeof r !== 'string' && typeof base !== 'string' && differences(base, r).every((d) => random.includes(d));
  };
  const leaves = valueLeaves(release.values);
  const ignored = await mapConcurrently(leaves, async (path) =>
    (await same(withoutLeaf(release.values, path))) && same(withChangedLeaf(release.values, path)));
  return leaves.filter((_, i) => ignored[i]).map(showPath);
}

describe('every value we emit changes the rendered chart', () => {
  // Each distinct set of values once. Harbor takes a second a rendering under load, so its
  // variants (which only drop keys or switch the database type) are left to the render test.
  const seen = new Set<string>();
  const cases = chartCases()
    .flatMap((c) => chartReleases(c.config).map((release) => ({ name: c.name, variant: c.name.includes(','), release })))
    .filter((c) => !(c.variant && c.release.name === 'harbor'))
    .filter((c) => !seen.has(JSON.stringify([c.release.name, c.release.values])) && seen.add(JSON.stringify([c.release.name, c.release.values])));
  for (const { name, release } of cases) {
    it(`${name}: ${release.name}`, async () => {
      const chart = upstreamChart(release.ref);
      if (!chart) return;
      const [a, b] = await Promise.all([render(release, chart, release.values), render(release, chart, release.values)]);
      expect(differences(a, b).sort()).toEqual(RANDOM_PER_RENDER[release.name]);
      const ignored = await ignoredLeaves(release, chart, RANDOM_PER_RENDER[release.name]!);
      expect(ignored.filter((k) => !BLANKED_DEFAULT_PASSWORDS[release.name]!.includes(k))).toEqual([]);
      for (const k of ignored) expect(k.split('.').reduce((o: any, p) => o?.[p], release.values), k).toBe('');
    }, 600_000);
  }

  it('the comparison sees a key the templates ignore', async () => {
    const release = cases.find((c) => c.release.name === 'velero')!.release;
    const chart = upstreamChart(release.ref);
    if (!chart) return;
    const values = { ...release.values, kubectl: { image: { repository: 'registry.k8s.io/kubectl', tag: 'v1.33.0' } } };
    expect(await ignoredLeaves({ ...release, values }, chart, [])).toEqual(['kubectl.image.repository', 'kubectl.image.tag']);
  }, 120_000);
});
