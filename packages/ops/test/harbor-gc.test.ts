import { describe, expect, it } from 'vitest';
import type { Json } from './support/github-openapi.js';
import { checkedHarborFetch, type HarborRequest } from './support/harbor-openapi.js';
import { main } from '../src/cli.js';
import { basicCredentialsFromEnv } from '../src/credentials/basic-credentials.js';
import { driftMarkdown, judgeDrift } from '../src/drift/report.js';
import { HARBOR_ENV_PREFIX, HarborApi, HarborApiError } from '../src/harbor/api.js';
import { applyGcSchedule, checkGcDrift, gcScheduleDifferences } from '../src/harbor/gc.js';

const WANTED = { cron: '0 0 6 * * 6', deleteUntagged: false };
const ADMIN = { username: 'admin', password: 'not-a-real-password' };

/**
 * Harbor's GC schedule endpoints as v2.15.1 implements them (src/server/v2.0/handler/gc.go):
 * PUT deletes the schedule and, unless the type is None, creates one whose extra attributes
 * are the parameters plus `time_window` (and `redis_url_reg`, which GET leaves out); GET
 * answers 200 with an empty body when there is none, else the schedule as
 * handler/model/gc.go's GCSchedule.ToSwagger writes it.
 */
function harbor(initial?: { type: string; cron: string; parameters: Json }) {
  let stored = initial;
  const answer = (r: HarborRequest): [number, Json?] => {
    if (r.authorization !== `Basic ${Buffer.from('admin:not-a-real-password').toString('base64')}`) return [401, { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] }];
    if (r.method === 'PUT') {
      stored = r.body.schedule.type === 'None' ? undefined : { type: r.body.schedule.type, cron: r.body.schedule.cron, parameters: r.body.parameters ?? {} };
      return [200];
    }
    if (!stored) return [200];
    return [200, {
      id: 7,
      job_name: '',
      job_kind: stored.cron,
      job_parameters: JSON.stringify({ ...stored.parameters, time_window: 2 }),
      deleted: false,
      job_status: '',
      schedule: { type: stored.type, cron: stored.cron, next_scheduled_time: '2026-12-05T06:00:00.000Z' },
      creation_time: '2026-11-30T03:00:00.000Z',
      update_time: '2026-11-30T03:00:00.000Z',
    }];
  };
  const checked = checkedHarborFetch(answer);
  return { api: new HarborApi({ url: 'https://harbor.dev.example.com', credentials: ADMIN, fetch: checked.fetch }), requests: checked.requests, stored: () => stored };
}

describe('gcScheduleDifferences', () => {
  it('finds none when Harbor holds the cron and delete_untagged of the config', () => {
    expect(gcScheduleDifferences(WANTED, { type: 'Custom', cron: '0 0 6 * * 6', deleteUntagged: false })).toEqual([]);
  });

  it('names a different cron, a different delete_untagged, a missing and an unwanted schedule', () => {
    expect(gcScheduleDifferences(WANTED, { type: 'Weekly', cron: '0 0 0 * * 0', deleteUntagged: true })).toEqual([
      'garbage-collection cron is "0 0 0 * * 0" in Harbor, "0 0 6 * * 6" in the config',
      'delete_untagged is true in Harbor, false in the config (harbor.gc.deleteUntagged)',
    ]);
    expect(gcScheduleDifferences(WANTED, undefined)).toEqual(['Harbor has no garbage-collection schedule; the config sets "0 0 6 * * 6"']);
    expect(gcScheduleDifferences(undefined, { type: 'Daily', cron: '0 0 0 * * *' })).toEqual([
      'Harbor runs garbage collection on "0 0 0 * * *" (Daily), but the config sets no schedule (harbor.gc)',
    ]);
    expect(gcScheduleDifferences(undefined, undefined)).toEqual([]);
  });
});

describe('HarborApi and applyGcSchedule against the Harbor API description', () => {
  it('creates the schedule on a Harbor that has none: PUT a Custom schedule, then read it back', async () => {
    const h = harbor();
    expect(await applyGcSchedule(h.api, WANTED)).toEqual({ changed: true, differences: ['Harbor has no garbage-collection schedule; the config sets "0 0 6 * * 6"'] });
    expect(h.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2.0/system/gc/schedule', 'PUT /api/v2.0/system/gc/schedule', 'GET /api/v2.0/system/gc/schedule']);
    expect(h.requests[1]!.body).toEqual({ schedule: { type: 'Custom', cron: '0 0 6 * * 6' }, parameters: { delete_untagged: false } });
    expect(await h.api.gcSchedule()).toEqual({ type: 'Custom', cron: '0 0 6 * * 6', deleteUntagged: false });
  });

  it('writes nothing when Harbor already holds the schedule', async () => {
    const h = harbor({ type: 'Custom', cron: '0 0 6 * * 6', parameters: { delete_untagged: false } });
    expect(await applyGcSchedule(h.api, WANTED)).toEqual({ changed: false, differences: [] });
    expect(h.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('replaces a schedule set by hand in the UI (a Weekly preset deleting untagged artifacts)', async () => {
    const h = harbor({ type: 'Weekly', cron: '0 0 0 * * 0', parameters: { delete_untagged: true, workers: 1 } });
    const result = await applyGcSchedule(h.api, WANTED);
    expect(result.changed).toBe(true);
    expect(result.differences).toHaveLength(2);
    expect(h.stored()).toEqual({ type: 'Custom', cron: '0 0 6 * * 6', parameters: { delete_untagged: false } });
  });

  it('removes a schedule the config does not set (type None)', async () => {
    const h = harbor({ type: 'Custom', cron: '0 0 1 * * *', parameters: {} });
    expect((await applyGcSchedule(h.api, undefined)).changed).toBe(true);
    expect(h.requests[1]!.body).toEqual({ schedule: { type: 'None' } });
    expect(h.stored()).toBeUndefined();
  });

  it('fails when the read-back differs from what was written', async () => {
    const checked = checkedHarborFetch((r): [number, Json?] => (r.method === 'GET' ? [200, { schedule: { type: 'Daily', cron: '0 0 0 * * *' }, job_parameters: '{}' }] : [200]));
    const api = new HarborApi({ url: 'https://harbor.dev.example.com', credentials: ADMIN, fetch: checked.fetch });
    await expect(applyGcSchedule(api, WANTED)).rejects.toThrow(/^Harbor accepted the GC schedule but reads back otherwise: garbage-collection cron is "0 0 0 \* \* \*" in Harbor/);
  });

  it("turns Harbor's error answer into one line that says what to check", async () => {
    const checked = checkedHarborFetch(() => [403, { errors: [{ code: 'FORBIDDEN', message: 'forbidden' }] }]);
    const api = new HarborApi({ url: 'https://harbor.dev.example.com/', credentials: ADMIN, fetch: checked.fetch });
    const err = await api.gcSchedule().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarborApiError);
    expect((err as Error).message).toBe('reading the GC schedule at https://harbor.dev.example.com/api/v2.0: Harbor answered 403 (FORBIDDEN: forbidden): the account lacks the system permission on garbage-collection');
  });

  it('the description check is live: a body with a misspelt key is refused', async () => {
    const checked = checkedHarborFetch(() => [200]);
    const put = checked.fetch('https://harbor.dev.example.com/api/v2.0/system/gc/schedule', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schedule: { type: 'Custom', cron: '0 0 6 * * 6' }, parameter: {} }) });
    await expect(put).rejects.toThrow(/updateGCSchedule body/);
    const type = checked.fetch('https://harbor.dev.example.com/api/v2.0/system/gc/schedule', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schedule: { type: 'Monthly', cron: '0 0 6 1 * *' } }) });
    await expect(type).rejects.toThrow(/updateGCSchedule body/);
  });
});

describe('Harbor credentials', () => {
  it('come from the environment in pairs, or not at all', () => {
    expect(basicCredentialsFromEnv(HARBOR_ENV_PREFIX, {})).toBeUndefined();
    expect(basicCredentialsFromEnv(HARBOR_ENV_PREFIX, { HARBOR_PLATFORM_HARBOR_USERNAME: 'robot$drift', HARBOR_PLATFORM_HARBOR_PASSWORD: 's' })).toEqual({ username: 'robot$drift', password: 's' });
    expect(() => basicCredentialsFromEnv(HARBOR_ENV_PREFIX, { HARBOR_PLATFORM_HARBOR_USERNAME: 'admin' })).toThrow('HARBOR_PLATFORM_HARBOR_PASSWORD is not set: set both HARBOR_PLATFORM_HARBOR_USERNAME and HARBOR_PLATFORM_HARBOR_PASSWORD, or neither');
  });
});

describe("drift of Harbor's GC schedule", () => {
  const base = { environment: 'dev', stacks: [], templates: [], manifests: { outcome: 'in-sync' as const } };

  it('reports a schedule changed in the UI as drift, in the verdict and the report', async () => {
    const h = harbor({ type: 'Weekly', cron: '0 0 0 * * 0', parameters: { delete_untagged: false } });
    const harborGc = await checkGcDrift(WANTED, 'https://harbor.dev.example.com', {}, h.api);
    const verdict = judgeDrift({ ...base, harborGc });
    expect(verdict).toEqual({ status: 'drift', errors: [], drifted: ['Harbor: garbage-collection cron is "0 0 0 * * 0" in Harbor, "0 0 6 * * 6" in the config'] });
    expect(driftMarkdown({ ...base, harborGc }, verdict)).toContain("### Harbor's garbage-collection schedule\n- garbage-collection cron is \"0 0 0 * * 0\" in Harbor, \"0 0 6 * * 6\" in the config");
    expect(h.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('the configured schedule is in sync', async () => {
    const h = harbor({ type: 'Custom', cron: '0 0 6 * * 6', parameters: { delete_untagged: false } });
    const harborGc = await checkGcDrift(WANTED, 'https://harbor.dev.example.com', {}, h.api);
    expect(harborGc).toEqual({ outcome: 'compared', differences: [] });
    expect(judgeDrift({ ...base, harborGc }).status).toBe('in-sync');
  });

  it('without Harbor credentials it is not checked, and says which are missing', async () => {
    const harborGc = await checkGcDrift(WANTED, 'https://harbor.dev.example.com', {});
    expect(harborGc).toEqual({ outcome: 'skipped', reason: 'no HARBOR_PLATFORM_HARBOR_USERNAME and HARBOR_PLATFORM_HARBOR_PASSWORD (a Harbor robot account with read on garbage-collection)' });
    expect(judgeDrift({ ...base, harborGc }).status).toBe('in-sync');
    expect(driftMarkdown({ ...base, harborGc }, judgeDrift({ ...base, harborGc }))).toContain('Not checked: no HARBOR_PLATFORM_HARBOR_USERNAME');
  });

  it('a refused read is a check that could not run, not drift', async () => {
    const checked = checkedHarborFetch(() => [401, { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] }]);
    const api = new HarborApi({ url: 'https://harbor.dev.example.com', credentials: ADMIN, fetch: checked.fetch });
    const harborGc = await checkGcDrift(WANTED, 'https://harbor.dev.example.com', {}, api);
    expect(judgeDrift({ ...base, harborGc })).toEqual({
      status: 'error',
      drifted: [],
      errors: ['Harbor GC schedule: reading the GC schedule at https://harbor.dev.example.com/api/v2.0: Harbor answered 401 (UNAUTHORIZED: unauthorized): check the credentials'],
    });
  });
});

describe('harbor-gc (the command)', () => {
  it('refuses to run without Harbor credentials, naming the variables', async () => {
    const out: string[] = [];
    const saved = { u: process.env.HARBOR_PLATFORM_HARBOR_USERNAME, p: process.env.HARBOR_PLATFORM_HARBOR_PASSWORD };
    delete process.env.HARBOR_PLATFORM_HARBOR_USERNAME;
    delete process.env.HARBOR_PLATFORM_HARBOR_PASSWORD;
    try {
      expect(await main(['harbor-gc', '--env', 'dev'], { out: (t) => out.push(t), err: (t) => out.push(t) })).toBe(2);
    } finally {
      if (saved.u !== undefined) process.env.HARBOR_PLATFORM_HARBOR_USERNAME = saved.u;
      if (saved.p !== undefined) process.env.HARBOR_PLATFORM_HARBOR_PASSWORD = saved.p;
    }
    expect(out.join('\n')).toContain('set HARBOR_PLATFORM_HARBOR_USERNAME and HARBOR_PLATFORM_HARBOR_PASSWORD');
  });
});
