import { setTimeout as sleep } from 'node:timers/promises';
import { basicAuthorization, parseChallenges, tokenFrom, tokenUrl, type Challenge, type RegistryCredentials, type TokenResponse } from './auth.js';
import { parseErrorBody, RegistryHttpError, RegistryUnreachableError } from './errors.js';

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
    readonly headers: Headers,
    private readonly body: ReadableStream<Uint8Array> | null,
    private readonly controller: AbortController,
    private readonly timeoutMs: number,
    private readonly describe: string,
  ) {}

  /**
   * Streams the body. A stall past the idle timeout throws {@link RegistryUnreachableError};
   * a connection closed early throws {@link TruncatedBodyError} (distribution does that when
   * the object behind a blob it announced is gone from the store).
   */
  async *chunks(): AsyncGenerator<Uint8Array> {
    if (!this.body) return;
    const reader = this.body.getReader();
    let received = 0;
    try {
      for (;;) {
        const timer = setTimeout(() => this.controller.abort(new Error(`no data for ${this.timeoutMs} ms`)), this.timeoutMs);
        let step;
        try {
          step = await reader.read();
        } catch (err) {
          if (this.controller.signal.aborted) throw new RegistryUnreachableError(this.describe, 1, reasonOf(err, this.controller));
          throw new TruncatedBodyError(received, reasonOf(err));
        } finally {
          clearTimeout(timer);
        }
        if (step.done) return;
        received += step.value.byteLength;
        yield step.value;
      }
    } finally {
      reader.releaseLock();
      if (!this.controller.signal.aborted) await this.body.cancel().catch(() => undefined);
    }
  }

  async bytes(): Promise<Buffer> {
    const parts: Uint8Array[] = [];
    for await (const chunk of this.chunks()) parts.push(chunk);
    return Buffer.concat(parts);
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  /** Frees the connection when the body is not wanted. */
  async discard(): Promise<void> {
    await this.body?.cancel().catch(() => undefined);
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

  constructor(private readonly props: RegistryHttpProps) {
    let url: URL;
    try {
      url = new URL(props.url);
    } catch {
      throw new Error(`registry URL "${props.url}" is not a URL: give scheme, host and port, e.g. http://127.0.0.1:5000`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`registry URL "${props.url}" must start with http:// or https://`);
    this.baseUrl = new URL(url.origin);
    this.timeoutMs = props.timeoutMs ?? DEFAULTS.timeoutMs;
    this.retries = props.retries ?? DEFAULTS.retries;
    this.retryDelayMs = props.retryDelayMs ?? DEFAULTS.retryDelayMs;
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
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    const headers: Record<string, string> = { ...req.headers };
    if (authorization) headers.authorization = authorization;
    try {
      const res = await fetch(url, { method: req.method, headers, body: req.body as BodyInit | undefined, signal: controller.signal, redirect: 'follow' });
      return new RegistryResponse(res.status, res.headers, res.body, controller, this.timeoutMs, this.baseUrl.origin);
    } catch (err) {
      throw new RegistryUnreachableError(this.baseUrl.origin, 1, reasonOf(err, controller));
    } finally {
      clearTimeout(timer);
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

/** A short reason for a failed exchange: the abort reason, or the socket error behind fetch's "fetch failed". */
export function reasonOf(err: unknown, controller?: AbortController): string {
  if (controller?.signal.aborted) {
    const reason = controller.signal.reason as unknown;
    return reason instanceof Error ? reason.message : String(reason);
  }
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  if (e?.cause) return [e.cause.code, e.cause.message].filter(Boolean).join(' ').trim() || String(e.message);
  return e?.message ?? String(err);
}
