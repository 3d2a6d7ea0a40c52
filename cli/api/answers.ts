/**
 * Shapes of the API's answers that the CLI reads, checked with zod at this
 * edge. The schemas are loose: they name what the CLI shows and let any
 * other field through, so a newer API that adds fields still works, and
 * `--json` prints the answer exactly as the API sent it.
 */
import * as z from 'zod';
import { UnexpectedAnswerError } from '../errors.js';
import type { ApiAnswer } from './client.js';

/** Checks `answer.body` against `schema`; `what` names the answer in the error. */
export function readAnswer<S extends z.ZodType>(schema: S, answer: ApiAnswer, what: string): z.output<S> {
  const result = schema.safeParse(answer.body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new UnexpectedAnswerError(
    `the API's answer to ${what} is not what this version of fleetwave expects${where}: ${issue?.message ?? 'unreadable'}`,
  );
}

/** One page of a list: `{items, nextToken?}`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ items: z.array(item), nextToken: z.string().optional() });
}
export interface Page<T> {
  items: T[];
  nextToken?: string | undefined;
}

export const createdTemplateSchema = z.looseObject({ jobTemplateId: z.string(), jobTemplateArn: z.string() });

export const templateSummarySchema = z.looseObject({
  jobTemplateId: z.string(),
  jobTemplateArn: z.string().optional(),
  description: z.string().optional(),
  createdAt: z.string().optional(),
});

export const templateSchema = templateSummarySchema.extend({
  document: z.string().optional(),
  documentSource: z.string().optional(),
});

/**
 * Fetches pages from `first` on: just one, or with `all` every page until
 * the last (then `nextToken` is absent).
 */
export async function collectPages<T>(
  first: string | undefined,
  all: boolean,
  fetchPage: (nextToken: string | undefined) => Promise<Page<T>>,
): Promise<Page<T>> {
  let page = await fetchPage(first);
  if (!all) return page;
  const items = [...page.items];
  const seen = new Set<string>();
  while (page.nextToken !== undefined) {
    // A token seen twice would loop for ever: stop rather than trust a misbehaving server.
    if (seen.has(page.nextToken))
      throw new UnexpectedAnswerError('the API answered the same nextToken twice while listing every page');
    seen.add(page.nextToken);
    page = await fetchPage(page.nextToken);
    items.push(...page.items);
  }
  return { items };
}
