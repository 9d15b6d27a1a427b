import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { RegistryError } from '../errors.js';
import { basicAuthorization, parseChallenges, tokenFrom, tokenUrl, type Challenge, type RegistryCredentials, type TokenResponse } from './auth.js';
import { parseErrorBody, RegistryHttpError, RegistryUnreachableError } from './errors.js';
import { Transport, type ResponseHeaders } from './transport.js';

/** How the client reaches one registry. */
export interface RegistryHttpProps {
  /** Base URL with scheme and port, e.g. `http://127.0.0.1:5000`. */
  readonly url: string;
  /** Basic-auth credentials, also sent to a bearer token endpoint. @default anonymous */
  readonly credentials?: RegistryCredentials;
  /** Longest wait for response headers, and longest pause while a body streams, in ms. @default 30000 */
  readonly timeoutMs?: number;
  /** Extra attempts after a network error, a timeout, 429 or a 5xx answer. @default 3 */
  readonly retries?: number;
  /** Pause before the first retry in ms, doubled for each further one. @default 250 */
  readonly retryDelayMs?: number;
}

export type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface RegistryRequest {
  readonly method: Method;
  /** A path below the base URL (`/v2/...`), or an absolute URL the registry handed out (upload locations). */
  readonly path: string;
  /** The repository the request acts on (bearer token scope); none for the catalog. */
  readonly repository?: string;
  readonly headers?: Record<string, string>;
  /** Kept in memory so that an authentication round trip can resend it. */
  readonly body?: Uint8Array;
  /** Statuses handed back to the caller; any other one is thrown as a {@link RegistryHttpError}. */
  readonly ok: readonly number[];
  /** Retry after network errors and 5xx. Off for upload steps, whose session a retry would not resume. @default true */
  readonly retry?: boolean;
}

/** The registry closed the connection before the body was complete. */
export class TruncatedBodyError extends Error {
  constructor(readonly received: number, reason: string) {
    super(`the registry closed the connection after ${received} byte(s): ${reason}`);
  }
}

const DEFAULTS = { timeoutMs: 30_000, retries: 3, retryDelayMs: 250 };
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/** A response whose body reads are bounded by the idle timeout. */
export class RegistryResponse {
  constructor(
    readonly status: number,
    readonly headers: ResponseHeaders,
    private readonly body: IncomingMessage,
    private readonly timeoutMs: number,
    private readonly describe: string,
  ) {}

  /**
   * Streams the body. A stall past the idle timeout throws {@link RegistryUnreachableError};
   * a connection closed early throws {@link TruncatedBodyError} (distribution does that when
   * the object behind a blob it announced is gone from the store).
   */
  async *chunks(): AsyncGenerator<Buffer> {
    const body = this.body;
    let received = 0;
    let last = Date.now();
    let stalled = false;
    // One coarse timer per body instead of one per chunk: chunks arrive thousands of times a second.
    const watch = setInterval(() => {
      if (Date.now() - last <= this.timeoutMs) return;
      stalled = true;
      body.destroy(new Error(`no data for ${this.timeoutMs} ms`));
    }, Math.min(this.timeoutMs, 1000));
    try {
      for await (const chunk of body) {
        received += (chunk as Buffer).byteLength;
        last = Date.now();
        yield chunk as Buffer;
      }
      if (!body.complete) throw new RegistryError('connection closed before the end of the body');
    } catch (err) {
      if (stalled) throw new RegistryUnreachableError(this.describe, 1, `no data for ${this.timeoutMs} ms`);
      throw new TruncatedBodyError(received, reasonOf(err));
    } finally {
      clearInterval(watch);
      if (!body.complete) body.destroy();
    }
  }

  /**
   * Hands each chunk of the body to `onChunk` as it arrives and resolves with the byte count:
   * the same bounds and errors as {@link chunks}, without the two promises per chunk that
   * iterating costs (thousands per blob on the hashing path of verify).
   */
  forEachChunk(onChunk: (chunk: Buffer) => void): Promise<number> {
    const body = this.body;
    return new Promise((resolve, reject) => {
      let received = 0;
      let last = Date.now();
      let stalled = false;
      let thrown: { error: unknown } | undefined;
      const watch = setInterval(() => {
        if (Date.now() - last <= this.timeoutMs) return;
        stalled = true;
        body.destroy(new Error(`no data for ${this.timeoutMs} ms`));
      }, Math.min(this.timeoutMs, 1000));
      body.on('data', (chunk: Buffer) => {
        received += chunk.byteLength;
        last = Date.now();
        try {
          onChunk(chunk);
        } catch (error) {
          thrown = { error };
          body.destroy();
        }
      });
      finished(body, (err) => {
        clearInterval(watch);
        if (!err && !thrown && body.complete) return resolve(received);
        if (!body.complete) body.destroy();
        if (thrown) return reject(thrown.error);
        if (stalled) return reject(new RegistryUnreachableError(this.describe, 1, `no data for ${this.timeoutMs} ms`));
        reject(new TruncatedBodyError(received, err ? reasonOf(err) : 'connection closed before the end of the body'));
      });
    });
  }

  async bytes(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks()) parts.push(chunk);
    return Buffer.concat(parts);
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  /** Frees the connection when the body is not wanted: drains a short body, drops a long one. */
  async discard(): Promise<void> {
    const length = Number(this.headers.get('content-length') ?? 0);
    if (length > 64 * 1024) this.body.destroy();
    else this.body.resume();
  }
}

/**
 * HTTP to one registry: authentication (basic, and the bearer-token flow of
 * `WWW-Authenticate` that Harbor uses), timeouts and bounded retries.
 */
export class RegistryHttp {
  readonly baseUrl: URL;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private basic?: string;
  /** Bearer tokens by scope key (`<repository>:<pull|push|delete>`), with their expiry. */
  private readonly tokens = new Map<string, { header: string; expires: number }>();
  private readonly transport: Transport;

  constructor(private readonly props: RegistryHttpProps) {
    let url: URL;
    try {
      url = new URL(props.url);
    } catch {
      throw new RegistryError(`registry URL "${props.url}" is not a URL: give scheme, host and port, e.g. http://127.0.0.1:5000`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RegistryError(`registry URL "${props.url}" must start with http:// or https://`);
    this.baseUrl = new URL(url.origin);
    this.timeoutMs = props.timeoutMs ?? DEFAULTS.timeoutMs;
    this.retries = props.retries ?? DEFAULTS.retries;
    this.retryDelayMs = props.retryDelayMs ?? DEFAULTS.retryDelayMs;
    this.transport = new Transport(this.timeoutMs);
  }

  /** How many times a request is tried at most. */
  get attempts(): number {
    return this.retries + 1;
  }

  /** Sends a request, authenticating and retrying as needed. */
  async send(req: RegistryRequest): Promise<RegistryResponse> {
    const url = new URL(req.path, this.baseUrl);
    const attempts = req.retry === false ? 1 : this.retries + 1;
    let lastReason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(this.retryDelayMs * 2 ** (attempt - 2));
      let res: RegistryResponse;
      try {
        res = await this.authenticated(req, url);
      } catch (err) {
        if (!(err instanceof RegistryUnreachableError)) throw err;
        lastReason = err.reason;
        continue;
      }
      if (RETRY_STATUSES.has(res.status) && !req.ok.includes(res.status)) {
        const errors = parseErrorBody(await res.text().catch(() => ''));
        if (attempt === attempts) {
          // Distribution names its storage driver in the detail when the store behind it failed.
          const storage = JSON.stringify(errors).includes('DriverName') ? 'its storage driver failed: is the object store up?; ' : '';
          throw new RegistryHttpError(req.method, pathOf(url), res.status, errors, `${storage}after ${attempts} attempt(s)`);
        }
        continue;
      }
      if (!req.ok.includes(res.status)) {
        const errors = req.method === 'HEAD' ? [] : parseErrorBody(await res.text().catch(() => ''));
        throw new RegistryHttpError(req.method, pathOf(url), res.status, errors, hintFor(res.status, this.props.credentials));
      }
      return res;
    }
    throw new RegistryUnreachableError(this.baseUrl.origin, attempts, lastReason);
  }

  private async authenticated(req: RegistryRequest, url: URL): Promise<RegistryResponse> {
    const key = scopeKey(req);
    const sent = this.authorization(key);
    const res = await this.once(req, url, sent);
    if (res.status !== 401) return res;
    const challenges = parseChallenges(res.headers.get('www-authenticate') ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (bearer) {
      await res.discard();
      await this.fetchToken(bearer, key);
    } else if (basic && this.props.credentials && sent !== basicAuthorization(this.props.credentials)) {
      await res.discard();
      this.basic = basicAuthorization(this.props.credentials);
    } else {
      return res; // nothing better to send: the caller reports the 401
    }
    return this.once(req, url, this.authorization(key));
  }

  private authorization(key: string): string | undefined {
    const token = this.tokens.get(key);
    if (token && token.expires > Date.now()) return token.header;
    return this.basic;
  }

  private async fetchToken(challenge: Challenge, key: string): Promise<void> {
    const url = tokenUrl(challenge);
    const headers: Record<string, string> = {};
    if (this.props.credentials) headers.authorization = basicAuthorization(this.props.credentials);
    const res = await this.once({ method: 'GET', path: url.href, ok: [200] }, url, headers.authorization);
    const text = await res.text();
    if (res.status !== 200) {
      throw new RegistryHttpError('GET', `${url.origin}${url.pathname}`, res.status, parseErrorBody(text), hintFor(res.status, this.props.credentials));
    }
    const { token, expiresInSeconds } = tokenFrom(JSON.parse(text) as TokenResponse);
    // Renew a little early so that a long verify never sends an expired token.
    this.tokens.set(key, { header: `Bearer ${token}`, expires: Date.now() + Math.max(expiresInSeconds - 10, 1) * 1000 });
  }

  /** One HTTP exchange with a header timeout; network failures become {@link RegistryUnreachableError}. */
  private async once(req: RegistryRequest, url: URL, authorization: string | undefined): Promise<RegistryResponse> {
    const headers: Record<string, string> = { ...req.headers };
    if (authorization) headers.authorization = authorization;
    try {
      const res = await this.transport.exchange(url, { method: req.method, headers, body: req.body });
      return new RegistryResponse(res.status, res.headers, res.body, this.timeoutMs, this.baseUrl.origin);
    } catch (err) {
      throw new RegistryUnreachableError(this.baseUrl.origin, 1, reasonOf(err));
    }
  }
}

function scopeKey(req: RegistryRequest): string {
  const action = req.method === 'DELETE' ? 'delete' : req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'push';
  return `${req.repository ?? 'registry:catalog'}:${action}`;
}

function pathOf(url: URL): string {
  return url.pathname + (url.search.length > 120 ? url.search.slice(0, 120) + '…' : url.search);
}

function hintFor(status: number, credentials: RegistryCredentials | undefined): string | undefined {
  if (status === 401) {
    return credentials
      ? 'the registry refused the credentials of HARBOR_PLATFORM_REGISTRY_USERNAME / HARBOR_PLATFORM_REGISTRY_PASSWORD'
      : 'the registry requires credentials: set HARBOR_PLATFORM_REGISTRY_USERNAME and HARBOR_PLATFORM_REGISTRY_PASSWORD';
  }
  if (status === 403) return 'the account lacks permission for this action';
  return undefined;
}

/** A short reason for a failed exchange: the socket error (`connect ECONNREFUSED 127.0.0.1:5000`) or our timeout. */
export function reasonOf(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e?.cause?.message) return e.cause.message;
  if (e?.code && e.message && !e.message.includes(e.code)) return `${e.code} ${e.message}`;
  return e?.message || e?.code || String(err);
}
