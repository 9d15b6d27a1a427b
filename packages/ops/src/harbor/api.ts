import type { HarborGcSchedule } from '@harbor-platform/config';
import { basicCredentialsEnv, type BasicCredentials } from '../credentials/basic-credentials.js';
import { HarborError } from '../errors.js';

/** Who calls Harbor's API: basic auth (the admin, or a system robot account `robot$name`). */
export type HarborCredentials = BasicCredentials;

/** Prefix of the variables that hold the Harbor credentials (never taken from arguments). */
export const HARBOR_ENV_PREFIX = 'HARBOR_PLATFORM_HARBOR';
export const HARBOR_USERNAME_ENV = basicCredentialsEnv(HARBOR_ENV_PREFIX).username;
export const HARBOR_PASSWORD_ENV = basicCredentialsEnv(HARBOR_ENV_PREFIX).password;

export interface HarborApiProps {
  /** Harbor's external URL (`https://harbor.example.com`); the API is below `/api/v2.0`. */
  readonly url: string;
  readonly credentials: HarborCredentials;
  /** Longest wait for one answer, ms. @default 30000 */
  readonly timeoutMs?: number;
  /** The `fetch` to call; tests pass one that checks requests against Harbor's API description. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** The GC schedule Harbor holds, as `GET /system/gc/schedule` returns it. */
export interface HarborGcState {
  /** Hourly, Daily, Weekly, Custom (what was set; the UI's presets also carry a cron). */
  readonly type: string;
  /** Six fields, seconds first. */
  readonly cron: string;
  /** `delete_untagged` of the schedule's parameters; undefined when Harbor holds none. */
  readonly deleteUntagged?: boolean;
}

/** Harbor answered with an unexpected status. */
export class HarborApiError extends Error {
  constructor(readonly status: number, what: string, detail: string) {
    super(`${what}: Harbor answered ${status}${detail ? ` (${detail})` : ''}${status === 401 ? ': check the credentials' : status === 403 ? ': the account lacks the system permission on garbage-collection' : ''}`);
  }
}

/**
 * The slice of Harbor's API v2.0 the platform applies and checks.
 * @see https://github.com/goharbor/harbor/blob/v2.15.1/api/v2.0/swagger.yaml
 */
export class HarborApi {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly authorization: string;

  constructor(props: HarborApiProps) {
    const url = new URL(props.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HarborError(`${props.url} is not an http(s) URL`);
    this.base = `${url.origin}/api/v2.0`;
    this.fetch = props.fetch ?? globalThis.fetch;
    this.timeoutMs = props.timeoutMs ?? 30_000;
    this.authorization = `Basic ${Buffer.from(`${props.credentials.username}:${props.credentials.password}`).toString('base64')}`;
  }

  /** The GC schedule, or undefined when Harbor has none (it answers 200 with an empty body then). */
  async gcSchedule(): Promise<HarborGcState | undefined> {
    const text = await this.call('GET', '/system/gc/schedule', 'reading the GC schedule');
    if (!text.trim()) return undefined;
    const body = JSON.parse(text) as { schedule?: { type?: string; cron?: string }; job_parameters?: string };
    if (!body.schedule?.type || body.schedule.type === 'None') return undefined;
    let parameters: { delete_untagged?: unknown } = {};
    try {
      parameters = body.job_parameters ? JSON.parse(body.job_parameters) : {};
    } catch {
      // Harbor writes job_parameters as JSON; anything else carries no delete_untagged.
    }
    return {
      type: body.schedule.type,
      cron: body.schedule.cron ?? '',
      ...(typeof parameters.delete_untagged === 'boolean' && { deleteUntagged: parameters.delete_untagged }),
    };
  }

  /** Replaces the GC schedule (Harbor deletes the old one and creates this); undefined removes it (type None). */
  async setGcSchedule(schedule: HarborGcSchedule | undefined): Promise<void> {
    const body = schedule
      ? { schedule: { type: 'Custom', cron: schedule.cron }, parameters: { delete_untagged: schedule.deleteUntagged } }
      : { schedule: { type: 'None' } };
    await this.call('PUT', '/system/gc/schedule', 'setting the GC schedule', body);
  }

  private async call(method: 'GET' | 'PUT', path: string, what: string, body?: unknown): Promise<string> {
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(this.base + path, {
        method,
        headers: { authorization: this.authorization, accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a timeout) is its cause.
      const e = err as Error & { cause?: { code?: string; message?: string } };
      throw new HarborError(`${what} at ${this.base}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
    }
    if (response.status !== 200) throw new HarborApiError(response.status, `${what} at ${this.base}`, errorDetail(text));
    return text;
  }
}

/** Harbor's `Errors` body as one line. */
function errorDetail(text: string): string {
  try {
    const errors = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
    return errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
  } catch {
    return text.slice(0, 200);
  }
}
