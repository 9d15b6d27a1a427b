/**
 * Harbor's API description (Swagger 2.0; the excerpt in fixtures/harbor, cut unedited from
 * goharbor/harbor v2.15.1) as a check on every request a test's HarborApi sends and every
 * canned answer it gets: the operation must exist, the body match its documented schema,
 * and the answer's status and body be documented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { schemaErrors, type Json } from './github-openapi.js';

const spec: Json = parse(readFileSync(join(import.meta.dirname, '../fixtures/harbor/gc-schedule.swagger.yaml'), 'utf8'));

/**
 * A Swagger schema as JSON Schema: `$ref`s inlined, `readOnly` dropped; `closed` (request
 * bodies) refuses keys the description does not name. go-swagger, which
 * generates Harbor's server, reads `type: object` without properties as "any value"
 * (`map[string]interface{}` for `Schedule.parameters`, whose values are booleans and
 * numbers such as `delete_untagged` and `workers`), so that is read as no constraint.
 */
function resolve(s: Json, closed = false): Json {
  if (Array.isArray(s)) return s.map((x) => resolve(x, closed));
  if (!s || typeof s !== 'object') return s;
  if (typeof s.$ref === 'string') {
    const [, section, name] = /^#\/(\w+)\/(.+)$/.exec(s.$ref)!;
    return resolve(spec[section!][name!], closed);
  }
  if (s.type === 'object' && !s.properties && !s.additionalProperties) return {};
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) if (k !== 'readOnly' && k !== 'description') out[k] = k === 'enum' ? v : resolve(v, closed);
  // Harbor ignores a key its description does not name: in a request body that is a typo, so refuse it.
  if (closed && s.properties && s.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

export interface HarborRequest {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly authorization?: string;
  readonly body?: Json;
}

/** The operation of the description that a request hits. */
function operationFor(method: string, url: URL): Json {
  const base: string = spec.basePath;
  expect(url.pathname.startsWith(base + '/'), `${url.pathname} is below ${base}`).toBe(true);
  const op = spec.paths[url.pathname.slice(base.length)]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${url.pathname} is not an operation of the Harbor API excerpt`);
  return op;
}

/**
 * A `fetch` for HarborApi that checks each request against the description, asks `answer`
 * for the response (status and body; `undefined` for an empty body) and checks that too.
 */
export function checkedHarborFetch(answer: (r: HarborRequest) => [number, Json?], requests: HarborRequest[] = []) {
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const op = operationFor(method, url);
    const headers = new Headers(init?.headers);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const bodyParam = (op.parameters ?? []).map(resolve).find((p: Json) => p.in === 'body');
    if (bodyParam?.required) expect(body, `${op.operationId} needs a body`).toBeDefined();
    if (body !== undefined) {
      expect(bodyParam, `${op.operationId} takes a body`).toBeDefined();
      expect(headers.get('content-type'), `${op.operationId} body type`).toBe('application/json');
      expect(schemaErrors(resolve(bodyParam.schema, true), body), `${op.operationId} body`).toEqual([]);
    }
    const recorded = { method, path: url.pathname, operationId: op.operationId, authorization: headers.get('authorization') ?? undefined, body };
    requests.push(recorded);
    const [status, data] = answer(recorded);
    const documented = op.responses[String(status)];
    expect(documented, `${op.operationId} documents ${status}`).toBeDefined();
    if (data !== undefined) {
      const schema = resolve(documented).schema;
      expect(schema, `${op.operationId} documents a body for ${status}`).toBeDefined();
      expect(schemaErrors(schema, data), `${op.operationId} canned ${status} response`).toEqual([]);
    }
    return new Response(data === undefined ? null : JSON.stringify(data), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}
