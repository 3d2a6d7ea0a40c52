/** The `limit` of a listing, as a query string gives it. */
import * as z from 'zod';

/**
 * A page size given in the query string, 1–`max`. Every refusal names the
 * whole rule, so `limit=-1` and `limit=abc` read "must be an integer from 1
 * to 100", not only what the first check saw.
 */
export function pageLimitQuery(max: number) {
  const rule = `must be an integer from 1 to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, rule)
    .transform(Number)
    .pipe(z.number().int(rule).min(1, rule).max(max, rule));
}
