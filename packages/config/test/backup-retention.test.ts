import { describe, expect, it } from 'vitest';
import { loadWith, problemsWith } from './util.js';
import { longestGapMinutes, planEnvironment, ttlHours } from '../src/index.js';

describe('registry-data retention against the Velero TTL', () => {
  it('refuses copies that do not reach back as far as the longest TTL, naming both fields and the numbers', () => {
    // prod: daily copies; harbor-daily keeps Velero backups 720h (30 days).
    expect(problemsWith((raw) => (raw.registryBackup.retention = 14), 'prod')).toEqual([
      'registryBackup.retention: 14 copies every 1d reach back 14d, less than velero.schedules[1].ttl (720h): a restore of an older Velero backup finds no registry-data copy: raise registryBackup.retention to at least 30, or lower velero.schedules[1].ttl to 14d',
    ]);
  });

  it('accepts exactly the coverage of the TTL, and counts the copy interval of a less frequent cron', () => {
    expect(problemsWith((raw) => (raw.registryBackup.retention = 30), 'prod')).toEqual([]);
    // Every other day: 15 copies reach back 30 days.
    expect(problemsWith((raw) => {
      raw.registryBackup.cron = '30 1 */2 * *';
      raw.registryBackup.retention = 10;
    }, 'prod')[0]).toMatch(/^registryBackup\.retention: 10 copies every \dd reach back \d+d, less than velero\.schedules\[1\]\.ttl \(720h\)/);
  });

  it('names the schedule with the longest TTL, whichever position it has', () => {
    const lines = problemsWith((raw) => {
      raw.velero.schedules[0].ttl = '2000h';
    }, 'prod');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('velero.schedules[0].ttl (2000h)');
  });
});

describe('worst-case RPO of the pair in the plan', () => {
  it('is the longer of the Velero gap and the copy gap plus its upload time', () => {
    const r = loadWith(() => {}, 'prod');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rpo = planEnvironment(r.config).backups.rpo;
    // Hourly Velero backups at :15 (the daily one at 03:00 falls between two of them).
    expect(rpo.veleroMinutes).toBe(60);
    // Daily copies at 01:30, each allowed 180 minutes.
    expect(rpo.registryDataMinutes).toBe(24 * 60 + 180);
    expect(rpo.worstCaseMinutes).toBe(24 * 60 + 180);
    expect(rpo.registryDataCoverageHours).toBe(30 * 24);
    expect(rpo.longestVeleroTtlHours).toBe(720);
  });

  it('measures gaps across the week (a weekday-only cron has a weekend gap)', () => {
    expect(longestGapMinutes(['0 5 * * 1-5'])).toBe(3 * 24 * 60);
    // 00, 03, 06, 12, 18: the union's longest gap is 6 hours.
    expect(longestGapMinutes(['0 */6 * * *', '0 3 * * *'])).toBe(360);
    expect(ttlHours('72h30m')).toBe(72.5);
  });
});

describe('the immutable GitHub subject needs the numeric IDs', () => {
  it('names each missing ID and both ways out', () => {
    expect(problemsWith((raw) => {
      delete raw.github.ownerId;
      delete raw.github.repositoryId;
    })).toEqual([
      'github.ownerId: missing: the roles trust the immutable OIDC subject, which names the owner by its numeric ID: set it to the output of `gh api repos/example-org/harbor-platform --jq .owner.id`, or set github.legacySubject: true while the repository still uses the name-based subject',
      'github.repositoryId: missing: the roles trust the immutable OIDC subject, which names the repository by its numeric ID: set it to the output of `gh api repos/example-org/harbor-platform --jq .id`, or set github.legacySubject: true while the repository still uses the name-based subject',
    ]);
  });

  it('accepts the legacy form without IDs', () => {
    expect(problemsWith((raw) => {
      delete raw.github.ownerId;
      delete raw.github.repositoryId;
      raw.github.legacySubject = true;
    })).toEqual([]);
  });
});
