import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './support/fakes.js';
import { UsageError } from '../src/cli/command.js';
import { reportTracker } from '../src/cli/report-tracker.js';
import { main } from '../src/cli.js';
import type { IssueTracker } from '../src/github/issues.js';
import { publishReport, readReportFile } from '../src/report/publish.js';
import { markdownTable, writeJobSummary } from '../src/report/summary.js';

const config = loadConfig('dev');
const buffer = () => {
  const lines: string[] = [];
  return { lines, io: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) } };
};
const report = { environment: 'dev', kind: 'drill' as const, healthy: false, headline: 'restore ended Failed', body: '## Restore drill of dev: FAILED\n' };

function fakeTracker(open?: number) {
  const calls: string[] = [];
  const tracker: IssueTracker = {
    findOpen: async (labels) => (calls.push(`find ${labels.join(',')}`), open ? { number: open, title: 't', body: 'b' } : undefined),
    create: async (i) => (calls.push(`create ${i.title}`), { number: 7, title: i.title, body: i.body }),
    update: async (n) => void calls.push(`update ${n}`),
    comment: async (n) => void calls.push(`comment ${n}`),
    close: async (n) => void calls.push(`close ${n}`),
  };
  return { calls, tracker };
}

describe('publishing a report', () => {
  it('writes to stdout and appends to the GitHub job summary when GITHUB_STEP_SUMMARY is set', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hp-sum-')), 'summary.md');
    const b = buffer();
    await publishReport(config, report, { io: b.io, env: { GITHUB_STEP_SUMMARY: file } });
    await publishReport(config, report, { io: b.io, env: { GITHUB_STEP_SUMMARY: file } });
    expect(readFileSync(file, 'utf8')).toBe(report.body + report.body);
    expect(b.lines).toEqual([report.body, report.body]);
  });

  it('without GITHUB_STEP_SUMMARY writes no summary', () => {
    expect(writeJobSummary('x', {})).toBe(false);
  });

  it('with --report files the issue in the environment\'s repository and says which', async () => {
    const { calls, tracker } = fakeTracker();
    const b = buffer();
    expect(await publishReport(config, report, { io: b.io, tracker, env: {} })).toEqual({ action: 'created', number: 7 });
    expect(calls).toEqual(['find harbor-platform:drill,env:dev', 'create Restore drill failing in dev']);
    expect(b.lines).toContain(`created issue ${config.github.owner}/${config.github.repo}#7`);
  });

  it('with --report but no token, the tracker is refused with one clear line, before the command prints or writes anything', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hp-sum-')), 'summary.md');
    const tracking = () => reportTracker(config, '--report', { GITHUB_STEP_SUMMARY: file });
    expect(tracking).toThrow(UsageError);
    expect(tracking).toThrow(`--report: set GITHUB_TOKEN (or GH_TOKEN) to a token with issues: write on ${config.github.owner}/${config.github.repo}, or leave --report out`);
    expect(existsSync(file)).toBe(false);
  });

  it('tables escape cell separators and line breaks', () => {
    expect(markdownTable(['a', 'b'], [['x|y', 'one\ntwo']])).toBe('| a | b |\n|---|---|\n| x\\|y | one two |');
  });
});

describe('the report file: the command writes it without a token, the reporting step publishes it', () => {
  const withoutToken = async (f: () => Promise<void>) => {
    const saved = { a: process.env.GITHUB_TOKEN, b: process.env.GH_TOKEN, s: process.env.GITHUB_STEP_SUMMARY };
    delete process.env.GITHUB_TOKEN;
    delete process.env.GH_TOKEN;
    delete process.env.GITHUB_STEP_SUMMARY;
    try {
      await f();
    } finally {
      const restore = { GITHUB_TOKEN: saved.a, GH_TOKEN: saved.b, GITHUB_STEP_SUMMARY: saved.s };
      Object.assign(process.env, Object.fromEntries(Object.entries(restore).filter(([, v]) => v !== undefined)));
    }
  };

  it('round-trips: --report-file writes what report --from reads, and files it on the issue', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'report-')), 'report.json');
    expect(await publishReport(config, report, { io: buffer().io, reportFile: file, env: {} })).toEqual({ action: 'none' });
    expect(readReportFile(file)).toEqual(report);
    const { calls, tracker } = fakeTracker(3);
    expect(await publishReport(config, readReportFile(file), { io: buffer().io, tracker, env: {} })).toEqual({ action: 'updated', number: 3 });
    expect(calls).toEqual(['find harbor-platform:drill,env:dev', 'update 3', 'comment 3']);
  });

  it('report --from needs the token (it is the step that holds it), refuses another environment\'s report and a malformed file in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const file = join(dir, 'report.json');
    writeFileSync(file, JSON.stringify(report));
    await withoutToken(async () => {
      const b = buffer();
      expect(await main(['report', '--env', 'dev', '--from', file], b.io)).toBe(2);
      expect(b.lines[0]!.split('\n')[0]).toBe(`harbor-platform report: ${NO_TOKEN} (the workflow passes github.token)`);
    });
    const prod = buffer();
    expect(await main(['report', '--env', 'prod', '--from', file], prod.io)).toBe(2);
    expect(prod.lines.join('\n')).toMatch(/environment: "dev" is not the environment "prod"/);
    writeFileSync(file, JSON.stringify({ ...report, healthy: 'no' }));
    const bad = buffer();
    expect(await main(['report', '--env', 'dev', '--from', file], bad.io)).toBe(1);
    expect(bad.lines.at(-1)).toBe(`harbor-platform report: --from ${file}: healthy: missing or of the wrong type: pass the file a command wrote with --report-file`);
  });
});

const NO_TOKEN = `set GITHUB_TOKEN (or GH_TOKEN) to a token with issues: write on ${config.github.owner}/${config.github.repo}`;

/** Runs the CLI's entry with stdout and stderr kept apart. */
async function streams(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err };
}

/** Runs `f` with these variables set (undefined: unset), then puts the environment back. */
async function withEnv<T>(vars: Record<string, string | undefined>, f: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await f();
  } finally {
    apply(saved);
  }
}

describe('report and drift commands at the edge', () => {
  it('report refuses an unknown kind or status, naming the allowed values', async () => {
    const b = buffer();
    expect(await main(['report', '--env', 'dev', '--kind', 'deploy', '--status', 'failed', '--message', 'm'], b.io)).toBe(2);
    expect(b.lines.join('\n')).toMatch(/--kind: "deploy" is not a report kind: use one of drift, drill, restore/);
    const c = buffer();
    expect(await main(['report', '--env', 'dev', '--kind', 'drill', '--status', 'red', '--message', 'm'], c.io)).toBe(2);
    expect(c.lines.join('\n')).toMatch(/--status: ".*" is not a status: use ok or failed/);
  });

  it('report without a token is a usage error (exit 2) naming both variables, before it prints anything', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'hp-sum-')), 'summary.md');
    const r = await withEnv({ GITHUB_TOKEN: undefined, GH_TOKEN: undefined, GITHUB_STEP_SUMMARY: summary }, () =>
      streams(['report', '--env', 'dev', '--kind', 'drill', '--status', 'failed', '--message', 'the run failed early']),
    );
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err[0]!.split('\n')[0]).toBe(`harbor-platform report: ${NO_TOKEN} (the workflow passes github.token)`);
    expect(existsSync(summary)).toBe(false);
  });

  it.each([
    ['drift', ['--manifests', '/nonexistent/manifests']],
    ['drill', []],
    ['restore', ['--backup', 'nightly', '--namespaces', 'harbor', '--confirm', 'dev']],
  ])('%s --report without a token is refused at once (exit 2), naming --report and both variables', async (command, more) => {
    const r = await withEnv({ GITHUB_TOKEN: undefined, GH_TOKEN: undefined }, () => streams([command, '--env', 'dev', '--report', ...more]));
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err[0]!.split('\n')[0]).toBe(`harbor-platform ${command}: --report: ${NO_TOKEN}, or leave --report out (--report-file <path> hands the report to a later "report --from" step)`);
  });

  it('report --from with --kind, --status or --message is a usage error (exit 2): the file holds the whole report', async () => {
    const r = await streams(['report', '--env', 'dev', '--from', '/nonexistent/report.json', '--kind', 'drift', '--message', 'm']);
    expect(r.code).toBe(2);
    expect(r.err[0]!.split('\n')[0]).toBe('harbor-platform report: --from: the file holds the whole report: drop --kind, --message, or drop --from');
  });

  it('drift without synthesized manifests exits 3 (could not check), not 1 (drift)', async () => {
    const b = buffer();
    expect(await main(['drift', '--env', 'dev', '--manifests', '/nonexistent/manifests'], b.io)).toBe(3);
    expect(b.lines.join('\n')).toMatch(/no manifests at \/nonexistent\/manifests: run "npm run synth" first/);
  });
});
