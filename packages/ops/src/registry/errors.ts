import { RegistryError } from '../errors.js';

/** The registry could not be reached, or stopped answering, within the bounded attempts. */
export class RegistryUnreachableError extends RegistryError {
  constructor(readonly url: string, readonly attempts: number, readonly reason: string) {
    super(`registry ${url} unreachable after ${attempts} attempt(s): ${reason}`);
  }
}

/** One error of a distribution error body (`{"errors":[{"code","message","detail"}]}`). */
export interface DistributionError {
  readonly code?: string;
  readonly message?: string;
  readonly detail?: unknown;
}

/** The registry answered with a status the caller did not expect. */
export class RegistryHttpError extends RegistryError {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly errors: DistributionError[],
    hint?: string,
  ) {
    super(`${method} ${url} answered ${status}${describe(errors)}${hint ? ` (${hint})` : ''}`);
  }

  /** The first distribution error code (`BLOB_UNKNOWN`, `MANIFEST_UNKNOWN`, `UNKNOWN` ...). */
  get code(): string | undefined {
    return this.errors[0]?.code;
  }
}

function describe(errors: DistributionError[]): string {
  if (errors.length === 0) return '';
  return ': ' + errors
    .map((e) => [e.code, e.message, detailText(e.detail)].filter(Boolean).join(' '))
    .join('; ');
}

function detailText(detail: unknown): string {
  if (detail === undefined || detail === null || detail === '') return '';
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  return `(${text.length > 300 ? text.slice(0, 300) + '…' : text})`;
}

/** Reads a distribution error body; tolerates bodies that are not JSON. */
export function parseErrorBody(text: string): DistributionError[] {
  try {
    const parsed = JSON.parse(text) as { errors?: DistributionError[] };
    if (Array.isArray(parsed.errors)) return parsed.errors;
  } catch {
    // not JSON: fall through to the raw text
  }
  const trimmed = text.trim();
  return trimmed ? [{ message: trimmed.length > 300 ? trimmed.slice(0, 300) + '…' : trimmed }] : [];
}
