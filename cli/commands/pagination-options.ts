/** Paginated list commands: their options, fetching one page or all, and printing a page. */
import type { z } from 'zod';
import { collectPages, type Page, pageSchema, readAnswer } from '../api/answers.js';
import type { ParsedArgs } from '../args/parse.js';
import type { OptionSpec } from '../args/spec.js';
import { integerValue } from '../args/values.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from './command.js';

/** `--limit`, `--next-token`, `--all`, with the API's page range in the help. */
export function paginationOptions(maxLimit: number, what: string): OptionSpec[] {
  return [
    { name: 'limit', type: 'string', valueName: 'N', description: `${what} per page, 1-${maxLimit}` },
    {
      name: 'next-token',
      type: 'string',
      valueName: 'TOKEN',
      description: 'continue from the page this token (printed by the previous page) names',
    },
    { name: 'all', type: 'boolean', description: 'fetch every page' },
  ];
}

interface PageRequest {
  limit: number | undefined;
  nextToken: string | undefined;
  all: boolean;
}

function readPagination(args: ParsedArgs, maxLimit: number): PageRequest {
  const raw = args.string('limit');
  const nextToken = args.string('next-token');
  if (nextToken === '') throw new UsageError('--next-token must not be empty');
  return {
    limit: raw === undefined ? undefined : integerValue('limit', raw, 1, maxLimit),
    nextToken,
    all: args.flag('all'),
  };
}

export interface ListRequest<T extends z.ZodType> {
  path: string;
  /** Query members besides `limit` and `nextToken`. */
  query?: Record<string, string | undefined>;
  item: T;
  /** The API's largest page. */
  maxLimit: number;
  /** Names the list in errors: `listing templates`. */
  what: string;
}

/** GETs the page the options ask for (or every page with `--all`). */
export async function fetchPages<T extends z.ZodType>(
  { args, api }: CommandContext,
  request: ListRequest<T>,
): Promise<Page<z.output<T>>> {
  const { limit, nextToken, all } = readPagination(args, request.maxLimit);
  const client = api();
  return collectPages(nextToken, all, async (token) =>
    readAnswer(
      pageSchema(request.item),
      await client.send({
        method: 'GET',
        path: request.path,
        query: { ...request.query, limit, nextToken: token },
      }),
      request.what,
    ),
  );
}

/** Prints a page (as JSON, or the lines `human` makes) and, for people, how to get the next one. */
export function printPage<T>(
  { out }: CommandContext,
  page: Page<T>,
  human: () => readonly string[],
  command: string,
): void {
  out.result(page, human);
  if (page.nextToken !== undefined && !out.json)
    out.note(`More results: ${command} --next-token '${page.nextToken}'  (or --all)`);
}
