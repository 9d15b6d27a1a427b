/**
 * GitHub's published OpenAPI description of api.github.com (dereferenced, from
 * @octokit/openapi) as a check on every request a test's Octokit sends and every
 * canned answer it gets: the operation must exist, the query parameters be known, and
 * body and answer match the documented schemas.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { expect } from 'vitest';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

let spec: Json;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<object, ValidateFunction>();

/** The description, read once (it is large). */
export function githubSpec(): Json {
  spec ??= JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.deref.json'), 'utf8'));
  return spec;
}

/** OpenAPI 3.0's `nullable` as JSON Schema: `type: [t, 'null']`; ajv refuses `nullable` without a type. */
function jsonSchemaOf(s: Json): Json {
  if (Array.isArray(s)) return s.map(jsonSchemaOf);
  if (!s || typeof s !== 'object') return s;
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) if (k !== 'nullable') out[k] = k === 'enum' || k === 'example' || k === 'examples' ? v : jsonSchemaOf(v);
  if (s.nullable === true) {
    if (typeof s.type === 'string') out.type = [s.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    if (!s.type) return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/** Schema errors of `value`, one line each (none when it matches). */
export function schemaErrors(schema: object, value: unknown): string[] {
  if (!compiled.has(schema)) compiled.set(schema, ajv.compile(jsonSchemaOf(schema)));
  const v = compiled.get(schema)!;
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** The operation of the description that a request hits. */
export function operationFor(method: string, url: URL): Json {
  for (const [template, item] of Object.entries<Json>(githubSpec().paths)) {
    const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    if (re.test(url.pathname) && item[method.toLowerCase()]) return item[method.toLowerCase()];
  }
  throw new Error(`${method} ${url.pathname} is not an operation of GitHub's REST API`);
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly query: Record<string, string>;
  readonly body?: Json;
}

/**
 * A `fetch` for Octokit that checks each request against the description, asks
 * `answer` for the response and checks that against the documented schema too.
 */
export function checkedFetch(answer: (r: RecordedRequest, url: URL) => [number, Json?], requests: RecordedRequest[] = []) {
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const op = operationFor(method, url);
    const query = Object.fromEntries(url.searchParams);
    const known = (op.parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name);
    for (const q of Object.keys(query)) expect(known, `${op.operationId} query ${q}`).toContain(q);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    if (body !== undefined) expect(schemaErrors(op.requestBody.content['application/json'].schema, body), `${op.operationId} body`).toEqual([]);
    const recorded = { method, path: url.pathname, operationId: op.operationId, query, body };
    requests.push(recorded);
    const [status, data] = answer(recorded, url);
    const documented = op.responses[String(status)];
    expect(documented, `${op.operationId} documents ${status}`).toBeDefined();
    const schema = documented.content?.['application/json']?.schema;
    if (data !== undefined) {
      expect(schema, `${op.operationId} documents a JSON body for ${status}`).toBeDefined();
      expect(schemaErrors(schema, data), `${op.operationId} canned ${status} response`).toEqual([]);
    }
    const response = new Response(data === undefined ? null : JSON.stringify(data), { status, headers: { 'content-type': 'application/json' } });
    // A real fetch's Response carries its URL; Octokit's paginate reads it to find the next page.
    Object.defineProperty(response, 'url', { value: url.href });
    return response;
  };
  return { fetch, requests };
}
