import { describe, expect, it } from 'vitest';
import { loadWith, problemsWith } from './util.js';
import type { EnvironmentConfig } from '../src/index.js';
import { harborCron, harborCronError, harborGcSchedule, planEnvironment } from '../src/index.js';

/** A valid mutated dev environment. */
function configWith(mutate: (raw: any) => void): EnvironmentConfig {
  const r = loadWith(mutate);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

describe("Harbor's garbage-collection schedule", () => {
  it("puts Harbor's seconds field, always 0, in front of the config's five fields", () => {
    expect(harborCron('0 6 * * 6')).toBe('0 0 6 * * 6');
    expect(harborCron(' 15  2 1-7 JAN,JUL MON-FRI ')).toBe('0 15 2 1-7 JAN,JUL MON-FRI');
  });

  it("plans the config's schedule and delete_untagged (off unless asked)", () => {
    const config = configWith((raw) => (raw.harbor.gc = { cron: '0 3 * * 6' }));
    expect(harborGcSchedule(config)).toEqual({ cron: '0 0 3 * * 6', deleteUntagged: false });
    expect(planEnvironment(config).harbor.gc).toEqual({ cron: '0 0 3 * * 6', deleteUntagged: false });
    const untagged = configWith((raw) => (raw.harbor.gc = { cron: '0 3 * * 6', deleteUntagged: true }));
    expect(planEnvironment(untagged).harbor.gc).toEqual({ cron: '0 0 3 * * 6', deleteUntagged: true });
  });

  it('plans no schedule when the config sets none', () => {
    const config = configWith((raw) => delete raw.harbor.gc);
    expect(harborGcSchedule(config)).toBeUndefined();
    expect(planEnvironment(config).harbor).not.toHaveProperty('gc');
  });

  it.each([
    ['0 3 * * 7', /Sunday as 7/],
    ['0 3 * * 5-7', /Sunday as 7/],
    ['0 3 * * 1,7', /Sunday as 7/],
    ['0 3 L * *', /L, W or #/],
    ['0 3 * * 5L', /L, W or #/],
    ['0 3 * * 6#2', /L, W or #/],
  ])("refuses %s, which the config's parser takes but Harbor's would not", (cron, message) => {
    expect(harborCronError(cron)).toMatch(message);
    const problems = problemsWith((raw) => (raw.harbor.gc.cron = cron));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^harbor\.gc\.cron: .*: write Sunday as 0 \(such as "0 6 \* \* 0"\) and use only numbers, names/);
  });

  it.each([
    ['velero.schedules[0].cron', "Velero's Schedule", (raw: any, cron: string) => (raw.velero.schedules[0].cron = cron)],
    ['registryBackup.cron', "the Kubernetes API server's CronJob validation", (raw: any, cron: string) => (raw.registryBackup.cron = cron)],
  ])('refuses in %s what robfig/cron refuses, naming %s', (path, parser, set) => {
    for (const [cron, message] of [['30 1 * * 7', /Sunday as 7/], ['0 3 L * *', /L, W or #/]] as const) {
      const problems = problemsWith((raw) => set(raw, cron));
      expect(problems, cron).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}: .*${message.source}.*which ${parser}`));
    }
    expect(problemsWith((raw) => set(raw, '30 1 * * 0'))).toEqual([]);
  });

  it.each(['0 3 * * 0', '0 3 * * SUN', '0 3 * * WED', '0 3 * JUL SAT', '*/30 3 * * 6', '0 3 * * 0-6/2', '0 3 ? * 6'])('accepts %s', (cron) => {
    expect(harborCronError(cron)).toBeUndefined();
  });
});
