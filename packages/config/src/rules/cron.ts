import { CronExpressionParser } from 'cron-parser';

/** Why a five-field cron expression is invalid, or undefined when it is valid. */
export function cronError(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `"${expr}" has ${fields.length} fields, not 5`;
  }
  try {
    CronExpressionParser.parse(expr, { tz: 'UTC' });
    return undefined;
  } catch (err) {
    return `"${expr}" is not a valid cron expression (${(err as Error).message})`;
  }
}

/** Start times of a cron schedule within [from, from + hours). */
export function occurrences(expr: string, from: Date, hours: number): Date[] {
  const end = from.getTime() + hours * 3600_000;
  const it = CronExpressionParser.parse(expr, { tz: 'UTC', currentDate: new Date(from.getTime() - 1) });
  const out: Date[] = [];
  for (;;) {
    const next = it.next().toDate();
    if (next.getTime() >= end) return out;
    out.push(next);
  }
}
