/**
 * ldap-check against servers that misbehave on loopback (no directory needed): nothing
 * listening, a server that never answers, a server that hangs up. And the command's edges.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { runLdapCheck } from '../src/ldap/check.js';
import { settingsFromOptions, type LdapSettings } from '../src/ldap/settings.js';

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.destroy());
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A TCP server on a free loopback port doing `onConnection` with each client. */
async function tcpServer(onConnection: (s: Socket) => void): Promise<number> {
  const server = createServer((s) => {
    sockets.push(s);
    onConnection(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

function settings(port: number, extra: Record<string, unknown> = {}): LdapSettings {
  const r = settingsFromOptions({ url: `ldap://127.0.0.1:${port}`, baseDn: 'dc=example,dc=com', searchDn: 'cn=harbor,dc=example,dc=com', timeoutSeconds: 1, ...extra });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.settings;
}

function buffers() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('runLdapCheck on a misbehaving server', () => {
  it('reports unreachable, naming the address, when nothing listens', async () => {
    const port = await tcpServer(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    const report = await runLdapCheck(settings(port), { password: 'x', user: 'alice' });
    expect(report.ok).toBe(false);
    expect(report.failure).toMatchObject({ step: 'connect', reason: 'unreachable' });
    expect(report.failure!.message).toContain(`connection refused by 127.0.0.1:${port}`);
    expect(report.steps.map((s) => s.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
  });

  it('gives up on a server that accepts but never answers, within its bound', async () => {
    const port = await tcpServer(() => undefined);
    const started = Date.now();
    const report = await runLdapCheck(settings(port), { password: 'x', user: 'alice' });
    const elapsed = Date.now() - started;
    expect(report.failure).toEqual({ step: 'bind', reason: 'timeout', message: 'the server did not answer within 1s' });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
  });

  it('reports a server that hangs up during the bind as unreachable', async () => {
    const port = await tcpServer((s) => s.once('data', () => s.destroy()));
    const report = await runLdapCheck(settings(port), { password: 'x' });
    expect(report.failure).toMatchObject({ step: 'bind', reason: 'unreachable' });
    expect(report.failure!.message).toMatch(/^the connection broke during the bind/);
  });
});

describe('ldap-check command', () => {
  it('refuses a password given as an argument', async () => {
    const { io, err } = buffers();
    expect(await main(['ldap-check', '--url', 'ldap://127.0.0.1:1', '--base-dn', 'dc=x', '--password', 'secret'], io)).toBe(2);
    // No such option: the password comes from a variable, which --password-env names.
    expect(err.join('\n').split('\n')[0]).toBe('harbor-platform ldap-check: --password: unknown option: did you mean --password-env?');
  });

  it('names the variable to set when the search password is missing, before connecting', async () => {
    const { io, err } = buffers();
    const code = await main(['ldap-check', '--url', 'ldap://127.0.0.1:1', '--base-dn', 'dc=x', '--search-dn', 'cn=harbor,dc=x', '--password-env', 'LDAP_CHECK_TEST_UNSET'], io);
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('set LDAP_CHECK_TEST_UNSET to the password of cn=harbor,dc=x');
  });

  it('refuses directory options together with --env', async () => {
    const { io, err } = buffers();
    expect(await main(['ldap-check', '--env', 'dev', '--url', 'ldap://127.0.0.1:1'], io)).toBe(2);
    expect(err.join('\n')).toContain('--url describes the directory by hand: give it or --env/--config, not both');
  });

  it('refuses a scope the schema does not know, naming the option', async () => {
    const { io, err } = buffers();
    expect(await main(['ldap-check', '--url', 'ldap://127.0.0.1:1', '--base-dn', 'dc=x', '--scope', 'deep'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--scope: .*subtree/);
  });

  it('exits 1 with the reason on stderr and the steps as JSON', async () => {
    const port = await tcpServer(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    const { io, out, err } = buffers();
    expect(await main(['ldap-check', '--url', `ldap://127.0.0.1:${port}`, '--base-dn', 'dc=x', '--json'], io)).toBe(1);
    const report = JSON.parse(out.join(''));
    expect(report).toMatchObject({ version: 1, ok: false, failure: { step: 'connect', reason: 'unreachable' } });
    expect(err.join('\n')).toContain(`ldap-check: unreachable: connection refused by 127.0.0.1:${port}`);
  });

  describe('--ca-file', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ldap-ca-'));
    const file = (name: string, text: string) => {
      const f = join(tmp, name);
      writeFileSync(f, text);
      return f;
    };
    const run = async (...args: string[]) => {
      const { io, err } = buffers();
      const code = await main(['ldap-check', '--base-dn', 'dc=x', ...args], io);
      // A usage error: its line, then the command's help.
      return { code, err: err.join('\n').split('\n')[0] };
    };

    it('refuses a file without a PEM certificate, naming it', async () => {
      const f = file('key.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
      expect(await run('--url', 'ldaps://127.0.0.1:1', '--ca-file', f)).toEqual({
        code: 2,
        err: `harbor-platform ldap-check: --ca-file: ${f} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA bundle in PEM form`,
      });
    });

    it('refuses a certificate block that does not parse', async () => {
      const f = file('broken.pem', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
      const r = await run('--url', 'ldaps://127.0.0.1:1', '--ca-file', f);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^harbor-platform ldap-check: --ca-file: certificate 1 of ${f} does not parse \\(.+\\): give the CA bundle in PEM form$`));
    });

    it('refuses a missing file', async () => {
      expect(await run('--url', 'ldaps://127.0.0.1:1', '--ca-file', join(tmp, 'absent.pem'))).toEqual({ code: 2, err: `harbor-platform ldap-check: --ca-file: cannot read ${join(tmp, 'absent.pem')} (ENOENT)` });
    });

    it('refuses a bundle for plain LDAP or with verification off', async () => {
      const f = join(tmp, 'absent.pem');
      expect(await run('--url', 'ldap://127.0.0.1:389', '--ca-file', f)).toEqual({ code: 2, err: 'harbor-platform ldap-check: --ca-file needs TLS, but ldap://127.0.0.1:389 is plain LDAP: use an ldaps:// URL' });
      expect(await run('--url', 'ldaps://127.0.0.1:1', '--no-verify-certificate', '--ca-file', f)).toEqual({
        code: 2,
        err: 'harbor-platform ldap-check: --ca-file checks the certificate, but verification is off (--no-verify-certificate or verifyCertificate: false): drop one of them',
      });
    });
  });
});
