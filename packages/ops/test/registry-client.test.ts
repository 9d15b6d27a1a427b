import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../src/registry/client.js';
import { digestOf } from '../src/registry/digest.js';
import { RegistryHttpError, RegistryUnreachableError } from '../src/registry/errors.js';
import { Transport } from '../src/registry/transport.js';

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r)))));
});

/** A scripted registry on a loopback port; `seen` records method, path and authorization. */
async function scripted(handler: Handler) {
  const seen: { method: string; url: string; authorization?: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, headers: req.headers });
      handler(req, Buffer.concat(parts), res);
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, connections: () => connections };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const creds = { username: 'robot', password: 'secret' };
const basic = `Basic ${Buffer.from('robot:secret').toString('base64')}`;
const fast = { retryDelayMs: 1, timeoutMs: 2000 };

describe('authentication', () => {
  it('follows the bearer-token flow: asks the realm with basic credentials and the scope, then reuses the token', async () => {
    const reg = await scripted((req, _b, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/service/token') {
        if (req.headers.authorization !== basic) return json(res, 401, {});
        return json(res, 200, { token: `tok-${url.searchParams.get('scope')}`, expires_in: 1800 });
      }
      if (req.headers.authorization !== 'Bearer tok-repository:library/app:pull') {
        return json(res, 401, { errors: [{ code: 'UNAUTHORIZED' }] }, {
          'www-authenticate': `Bearer realm="http://${req.headers.host}/service/token",service="harbor-registry",scope="repository:library/app:pull"`,
        });
      }
      json(res, 200, { name: 'library/app', tags: ['v1', 'v2'] });
    });
    const client = new RegistryClient({ url: reg.url, credentials: creds, ...fast });
    expect(await client.tags('library/app')).toEqual(['v1', 'v2']);
    expect(await client.tags('library/app')).toEqual(['v1', 'v2']);
    const tokenCalls = reg.seen.filter((s) => s.url.startsWith('/service/token'));
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.url).toContain('service=harbor-registry');
    expect(reg.seen.filter((s) => s.url.startsWith('/v2/')).map((s) => s.authorization)).toEqual([
      undefined,
      'Bearer tok-repository:library/app:pull',
      'Bearer tok-repository:library/app:pull',
    ]);
  });

  it('answers a basic challenge once, then sends basic credentials up front', async () => {
    const reg = await scripted((req, _b, res) => {
      if (req.headers.authorization !== basic) return json(res, 401, {}, { 'www-authenticate': 'Basic realm="harbor-platform"' });
      json(res, 200, { repositories: ['a'] });
    });
    const client = new RegistryClient({ url: reg.url, credentials: creds, ...fast });
    await client.catalog();
    await client.catalog();
    expect(reg.seen.map((s) => s.authorization)).toEqual([undefined, basic, basic]);
  });

  it('fails with the variables to check when the registry refuses the credentials', async () => {
    const reg = await scripted((_req, _b, res) =>
      json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': 'Basic realm="r"' }),
    );
    const client = new RegistryClient({ url: reg.url, credentials: creds, ...fast });
    const err = await client.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryHttpError);
    expect((err as Error).message).toMatch(/answered 401: UNAUTHORIZED authentication required .*refused the credentials of HARBOR_PLATFORM_REGISTRY_USERNAME/);
  });

  it('says which variables to set when the registry wants credentials and none are given', async () => {
    const reg = await scripted((_req, _b, res) => json(res, 401, {}, { 'www-authenticate': 'Basic realm="r"' }));
    const client = new RegistryClient({ url: reg.url, credentials: undefined, ...fast });
    await expect(client.ping()).rejects.toThrow(/requires credentials: set HARBOR_PLATFORM_REGISTRY_USERNAME and HARBOR_PLATFORM_REGISTRY_PASSWORD/);
  });
});

describe('bounded retries and timeouts', () => {
  it('retries a 503 and succeeds when the registry recovers', async () => {
    let calls = 0;
    const reg = await scripted((_req, _b, res) => (++calls < 3 ? json(res, 503, {}) : json(res, 200, {})));
    await new RegistryClient({ url: reg.url, ...fast }).ping();
    expect(calls).toBe(3);
  });

  it('gives up after retries+1 attempts on a persistent 500, quoting the registry error', async () => {
    const reg = await scripted((_req, _b, res) =>
      json(res, 500, { errors: [{ code: 'UNKNOWN', message: 'unknown error', detail: 's3aws: connection refused' }] }),
    );
    const err = await new RegistryClient({ url: reg.url, retries: 2, ...fast }).ping().catch((e: unknown) => e);
    expect(reg.seen).toHaveLength(3);
    expect((err as Error).message).toBe('GET /v2/ answered 500: UNKNOWN unknown error (s3aws: connection refused) (after 3 attempt(s))');
  });

  it('reports a closed port as unreachable after the bounded attempts', async () => {
    const reg = await scripted(() => undefined);
    const url = reg.url;
    await new Promise((r) => servers.pop()!.close(r));
    const started = Date.now();
    const err = await new RegistryClient({ url, retries: 2, ...fast }).ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnreachableError);
    expect((err as Error).message).toMatch(/unreachable after 3 attempt\(s\): connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out a registry that never answers instead of hanging', async () => {
    const reg = await scripted(() => undefined); // accepts, never responds
    const err = await new RegistryClient({ url: reg.url, retries: 1, retryDelayMs: 1, timeoutMs: 150 }).ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnreachableError);
    expect((err as Error).message).toMatch(/after 2 attempt\(s\): no answer within 150 ms/);
  });

  it('times out a body that stalls half way', async () => {
    const reg = await scripted((_req, _b, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write(Buffer.alloc(10));
    });
    const client = new RegistryClient({ url: reg.url, retries: 0, retryDelayMs: 1, timeoutMs: 150 });
    await expect(client.hashBlob('a', digestOf(Buffer.alloc(100)))).rejects.toThrow(/no data for 150 ms/);
  });
});

describe('digest-verified streaming', () => {
  it('hashes what the registry sends, so a blob with other bytes shows another digest', async () => {
    const good = Buffer.from('the real layer');
    const served = Buffer.from('a changed layer');
    const reg = await scripted((_req, _b, res) => {
      res.writeHead(200, { 'content-length': String(served.length) });
      res.end(served);
    });
    const read = await new RegistryClient({ url: reg.url, ...fast }).hashBlob('a', digestOf(good));
    expect(read).toEqual({ digest: digestOf(served), bytes: served.length, announced: served.length, complete: true });
  });

  it('reports a body cut short (as distribution sends for a blob whose object is gone) after retrying it', async () => {
    const reg = await scripted((_req, _b, res) => {
      res.writeHead(200, { 'content-length': '2560' });
      res.flushHeaders();
      res.socket!.destroy();
    });
    const read = await new RegistryClient({ url: reg.url, retries: 2, ...fast }).hashBlob('a', digestOf(Buffer.from('x')));
    expect(read).toMatchObject({ digest: undefined, bytes: 0, announced: 2560, complete: false });
    expect(reg.seen).toHaveLength(3);
  });

  it('returns undefined for a blob the registry does not know (404 BLOB_UNKNOWN)', async () => {
    const reg = await scripted((_req, _b, res) => json(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] }));
    expect(await new RegistryClient({ url: reg.url, ...fast }).hashBlob('a', digestOf(Buffer.from('x')))).toBeUndefined();
  });
});

describe('redirects', () => {
  it('follows a blob redirect to the store without sending the registry credentials there', async () => {
    const blob = Buffer.from('layer bytes');
    const store = await scripted((_req, _b, res) => {
      res.writeHead(200, { 'content-length': String(blob.length) });
      res.end(blob);
    });
    const reg = await scripted((req, _b, res) => {
      if (req.headers.authorization !== basic) return json(res, 401, {}, { 'www-authenticate': 'Basic realm="r"' });
      res.writeHead(307, { location: `${store.url}/bucket/blob?X-Amz-Signature=abc` });
      res.end();
    });
    const read = await new RegistryClient({ url: reg.url, credentials: creds, ...fast }).hashBlob('a', digestOf(blob));
    expect(read).toMatchObject({ digest: digestOf(blob), complete: true });
    expect(store.seen).toHaveLength(1);
    expect(store.seen[0]!.url).toBe('/bucket/blob?X-Amz-Signature=abc');
    expect(store.seen[0]!.authorization).toBeUndefined();
  });
});

describe('listing and manifests', () => {
  it('follows Link pagination of the catalog', async () => {
    const reg = await scripted((req, _b, res) => {
      if (!req.url!.includes('last=')) return json(res, 200, { repositories: ['a', 'b'] }, { link: '</v2/_catalog?last=b&n=1000>; rel="next"' });
      json(res, 200, { repositories: ['c'] });
    });
    expect(await new RegistryClient({ url: reg.url, ...fast }).catalog()).toEqual(['a', 'b', 'c']);
  });

  it('treats an unknown repository as having no tags (404 NAME_UNKNOWN)', async () => {
    const reg = await scripted((_req, _b, res) => json(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] }));
    expect(await new RegistryClient({ url: reg.url, ...fast }).tags('nothere')).toEqual([]);
  });

  it('computes the digest of the manifest bytes it was served and asks for indexes too', async () => {
    const doc = Buffer.from('{"schemaVersion":2}');
    const reg = await scripted((_req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json', 'docker-content-digest': 'sha256:' + 'a'.repeat(64) });
      res.end(doc);
    });
    const m = await new RegistryClient({ url: reg.url, ...fast }).getManifest('a', 'v1');
    expect(m).toMatchObject({ digest: digestOf(doc), headerDigest: 'sha256:' + 'a'.repeat(64), mediaType: 'application/vnd.oci.image.index.v1+json' });
    expect(reg.seen[0]!.headers.accept).toContain('application/vnd.oci.image.index.v1+json');
  });
});

describe('uploads', () => {
  /** A registry that keeps upload sessions and answers as distribution does. */
  async function uploadRegistry() {
    const sessions = new Map<string, Buffer>();
    let next = 0;
    return scripted((req, body, res) => {
      const url = new URL(req.url!, 'http://x');
      if (req.method === 'POST') {
        const id = `u${++next}`;
        sessions.set(id, Buffer.alloc(0));
        res.writeHead(202, { location: `/v2/a/blobs/uploads/${id}?_state=s0` });
        return res.end();
      }
      const id = url.pathname.split('/').pop()!;
      sessions.set(id, Buffer.concat([sessions.get(id)!, body]));
      if (req.method === 'PATCH') {
        res.writeHead(202, { location: `/v2/a/blobs/uploads/${id}?_state=s${sessions.get(id)!.length}`, range: `0-${sessions.get(id)!.length - 1}` });
        return res.end();
      }
      const digest = digestOf(sessions.get(id)!);
      if (url.searchParams.get('digest') !== digest) return json(res, 400, { errors: [{ code: 'DIGEST_INVALID' }] });
      res.writeHead(201, { 'docker-content-digest': digest });
      res.end();
    });
  }

  it('sends a chunked upload as PATCHes with Content-Range, following each Location, then a closing PUT', async () => {
    const reg = await uploadRegistry();
    const blob = Buffer.from('0123456789abcdefghij');
    const digest = await new RegistryClient({ url: reg.url, ...fast }).pushBlobChunked('a', blob, 8);
    expect(digest).toBe(digestOf(blob));
    expect(reg.seen.map((s) => `${s.method} ${s.headers['content-range'] ?? ''}`.trim())).toEqual(['POST', 'PATCH 0-7', 'PATCH 8-15', 'PATCH 16-19', 'PUT']);
    expect(reg.seen[2]!.url).toBe('/v2/a/blobs/uploads/u1?_state=s8');
    expect(reg.seen[4]!.url).toBe(`/v2/a/blobs/uploads/u1?_state=s20&digest=${encodeURIComponent(digest)}`);
  });

  it('sends a monolithic upload as POST then one PUT carrying every byte', async () => {
    const reg = await uploadRegistry();
    const blob = Buffer.from('config');
    expect(await new RegistryClient({ url: reg.url, ...fast }).pushBlobMonolithic('a', blob)).toBe(digestOf(blob));
    expect(reg.seen.map((s) => s.method)).toEqual(['POST', 'PUT']);
    expect(reg.seen[1]!.headers['content-length']).toBe(String(blob.length));
  });
});

describe('transport', () => {
  it('reads response headers by any case, joins repeated ones as fetch does, and gives null for an absent one', async () => {
    const reg = await scripted((_req, _body, res) => {
      res.setHeader('Docker-Content-Digest', 'sha256:' + 'a'.repeat(64));
      res.setHeader('Warning', ['199 - "one"', '199 - "two"']);
      res.end();
    });
    const res = await new Transport(2000).exchange(new URL(`${reg.url}/v2/`), { method: 'GET', headers: {} });
    res.body.resume();
    expect(res.headers.get('docker-content-digest')).toBe('sha256:' + 'a'.repeat(64));
    expect(res.headers.get('DOCKER-CONTENT-DIGEST')).toBe('sha256:' + 'a'.repeat(64));
    expect(res.headers.get('warning')).toBe('199 - "one", 199 - "two"');
    expect(res.headers.get('link')).toBeNull();
  });

  it('keeps the connection alive: blobs hashed one after another share one connection', async () => {
    const blob = Buffer.alloc(256 * 1024, 7);
    const reg = await scripted((_req, _body, res) => {
      res.writeHead(200, { 'content-length': String(blob.length) });
      res.end(blob);
    });
    const client = new RegistryClient({ url: reg.url, ...fast });
    for (let i = 0; i < 5; i++) expect((await client.hashBlob('a', digestOf(blob)))?.digest).toBe(digestOf(blob));
    expect(reg.seen).toHaveLength(5);
    expect(reg.connections()).toBe(1);
  });
});

describe('configuration', () => {
  it('refuses a registry URL without scheme', () => {
    expect(() => new RegistryClient({ url: 'localhost:5000' })).toThrow(/must start with http:\/\/ or https:\/\//);
    expect(() => new RegistryClient({ url: '127.0.0.1:5000' })).toThrow(/give scheme, host and port/);
    expect(() => new RegistryClient({ url: 'not a url' })).toThrow(/is not a URL/);
  });
});
