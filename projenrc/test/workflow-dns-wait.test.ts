/**
 * The smoke job's "Wait for <env>'s Harbor DNS record (ExternalDNS)" step, run as GitHub runs
 * it (`bash -e`), with `aws` answering as the Route 53 API does through the CLI's --query: it
 * waits while the record is missing, passes once ExternalDNS has written it, stops at its
 * bound naming the record and where to look, and stops at once when Route 53 refuses the call.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadWorkflow, planOf, targetOutputs } from './support/workflows.js';

const run = promisify(execFile);
const deploy = loadWorkflow('deploy.yml');
type Step = { name?: string; uses?: string; run?: string; env?: Record<string, string> };
const stepsOf = (env: string): Step[] => deploy.jobs[`smoke-${env}`].steps;
const waitStep = (env: string) => stepsOf(env).find((s) => s.name === `Wait for ${env}'s Harbor DNS record (ExternalDNS)`)!;

/**
 * Runs the step with a stand-in `aws` that prints the `answers` in turn (one per call; the last
 * repeats), or fails as the CLI does on AccessDenied when an answer is `denied`.
 */
async function runStep(answers: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hp-dns-'));
  writeFileSync(join(dir, 'aws'), [
    '#!/usr/bin/env bash',
    `printf '%s\\n' "$*" >> "${dir}/calls"`,
    `n=$(wc -l < "${dir}/calls")`,
    `answers=(${answers.map((a) => `'${a}'`).join(' ')})`,
    'i=$(( n <= ${#answers[@]} ? n - 1 : ${#answers[@]} - 1 ))',
    'if [ "${answers[$i]}" = denied ]; then',
    '  echo "An error occurred (AccessDenied) when calling the ListResourceRecordSets operation: User: arn:aws:sts::111111111111:assumed-role/x/y is not authorized to perform: route53:ListResourceRecordSets" >&2; exit 254',
    'fi',
    'echo "${answers[$i]}"',
  ].join('\n'));
  chmodSync(join(dir, 'aws'), 0o755);
  const standIn = `aws() { "${dir}/aws" "$@"; }\n`;
  const stepEnv = { HP_HOSTNAME: 'harbor.dev.example.com', HP_ZONE_ID: 'Z1111111111111EXAMPLE', HP_DNS_WAIT_INTERVAL: '0', ...env };
  const calls = () => readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
  try {
    const r = await run('bash', ['-e', '-c', standIn + waitStep('dev').run!], { env: { ...process.env, ...stepEnv } });
    return { code: 0, ...r, calls: calls() };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, calls: calls() };
  }
}

describe("the smoke job waits for ExternalDNS's record of Harbor before anything resolves it", () => {
  it('comes after the role is assumed and before the smoke test, reading the zone and hostname from the plan', () => {
    for (const env of ['dev', 'prod']) {
      const names = stepsOf(env).map((s) => s.name ?? s.uses);
      const at = names.indexOf(waitStep(env).name);
      expect(at, env).toBeGreaterThan(names.findIndex((n) => /Assume the deploy role/.test(n ?? '')));
      expect(at, env).toBeLessThan(names.indexOf(`Smoke test ${env}'s Harbor`));
      expect(waitStep(env).env).toEqual({ HP_HOSTNAME: '${{ steps.target.outputs.harbor-hostname }}', HP_ZONE_ID: '${{ steps.target.outputs.hosted-zone-id }}' });
      const target = stepsOf(env).find((s) => s.name === 'Resolve the AWS target from the plan')!.run!;
      const plan = planOf(env);
      expect(targetOutputs(target, plan, env)).toMatchObject({ 'harbor-hostname': plan.harbor.hostname, 'hosted-zone-id': plan.harbor.hostedZoneId });
      expect(plan.harbor.hostedZoneId).toMatch(/^Z[A-Z0-9]+$/);
      expect(plan.harbor.hostname).toBe(new URL(plan.harbor.url).hostname);
    }
  });

  it('waits while the record is missing and passes once it is there, asking Route 53 for exactly that name\'s A record', async () => {
    const r = await runStep(['0', '0', '1']);
    expect(r.code).toBe(0);
    expect(r.calls).toHaveLength(3);
    expect(r.calls[0]).toBe(
      "route53 list-resource-record-sets --hosted-zone-id Z1111111111111EXAMPLE --start-record-name harbor.dev.example.com --start-record-type A --max-items 1 --query ResourceRecordSets[?Name=='harbor.dev.example.com.' && Type=='A'] | length(@) --output text",
    );
    expect(r.stdout).toMatch(/waiting for ExternalDNS to write harbor\.dev\.example\.com in Z1111111111111EXAMPLE\n[\s\S]*harbor\.dev\.example\.com has its A record in Z1111111111111EXAMPLE/);
  });

  it('stops at its bound, naming the record, the zone and where to look', async () => {
    const r = await runStep(['0'], { HP_DNS_WAIT_SECONDS: '0' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "::error::no A record for harbor.dev.example.com in hosted zone Z1111111111111EXAMPLE after 0 s: see ExternalDNS's log (kubectl logs -n external-dns deployment/external-dns)",
    );
  });

  it('stops at once when Route 53 refuses the call, instead of waiting out the bound', async () => {
    const r = await runStep(['denied']);
    expect(r.code).toBe(254);
    expect(r.calls).toHaveLength(1);
    expect(r.stderr).toMatch(/AccessDenied.*route53:ListResourceRecordSets/);
  });
});
