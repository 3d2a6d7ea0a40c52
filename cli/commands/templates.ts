/** `fleetwave templates create|list|get|delete`: the job-template routes. */

import { createdTemplateSchema, readAnswer, templateSchema, templateSummarySchema } from '../api/answers.js';
import { pathOf } from '../api/client.js';
import type { ParsedArgs } from '../args/parse.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { formatFields, formatTable } from '../output/table.js';
import { parseJsonText, readInputText, readRequestBody } from '../request/input-file.js';
import type { Command } from './command.js';
import { fetchPages, paginationOptions, printPage } from './pagination-options.js';

/** ListJobTemplates' page range. */
const maxTemplatePage = 250;

const idPositional = [{ name: 'TEMPLATE_ID', description: 'the job template id' }];

/**
 * The POST /job-templates body: `--file` as the base, then the flags, which
 * win. A document flag replaces every document field of the file, since the
 * API takes exactly one of `document`, `documentSource` and `jobArn`.
 */
async function buildTemplateBody(args: ParsedArgs, io: CliIo): Promise<Record<string, unknown>> {
  const file = args.string('file');
  const documentFile = args.string('document-file');
  const documentSource = args.string('document-source');
  if (documentFile !== undefined && documentSource !== undefined)
    throw new UsageError('give one of --document-file and --document-source, not both');
  const body: Record<string, unknown> = file === undefined ? {} : await readRequestBody(file, io);
  const id = args.string('id');
  const description = args.string('description');
  if (id !== undefined) body.jobTemplateId = id;
  if (description !== undefined) body.description = description;
  if (documentFile !== undefined || documentSource !== undefined) {
    delete body.document;
    delete body.documentSource;
    delete body.jobArn;
  }
  if (documentFile !== undefined) {
    // IoT wants the document as a string of JSON: check it here and send it compact (the limit is 32768 characters).
    body.document = JSON.stringify(parseJsonText(await readInputText(documentFile, io), documentFile));
  }
  if (documentSource !== undefined) body.documentSource = documentSource;
  if (file === undefined) {
    const missing = [
      body.jobTemplateId === undefined ? '--id' : undefined,
      body.description === undefined ? '--description' : undefined,
      body.document === undefined && body.documentSource === undefined
        ? '--document-file or --document-source'
        : undefined,
    ].filter((m) => m !== undefined);
    if (missing.length > 0)
      throw new UsageError(`missing ${missing.join(', ')} (or give the whole request body with --file)`);
  }
  return body;
}

const create: Command = {
  path: ['templates', 'create'],
  summary: 'create an AWS IoT job template',
  description: [
    'Takes the request body from --file (JSON or YAML, every CreateJobTemplate field), from the flags, or both: flags win over the file.',
    'Templates cannot be changed: delete one and create it again.',
  ],
  options: [
    { name: 'id', type: 'string', valueName: 'ID', description: 'template id, 1-64 of [a-zA-Z0-9_-]' },
    { name: 'description', type: 'string', valueName: 'TEXT', description: 'what the template does' },
    {
      name: 'document-file',
      type: 'string',
      valueName: 'FILE',
      description: 'the job document, a JSON file (- for stdin)',
    },
    {
      name: 'document-source',
      type: 'string',
      valueName: 'URL',
      description: 'the job document as an S3 URL instead',
    },
    {
      name: 'file',
      short: 'f',
      type: 'string',
      valueName: 'FILE',
      description: 'request body, JSON or YAML (- for stdin)',
    },
  ],
  examples: [
    {
      command: "fleetwave templates create --id fw-2-4 --description 'Firmware 2.4' --document-file job.json",
      comment: 'a template from a job document',
    },
    {
      command: 'fleetwave templates create -f template.yaml --id fw-2-5',
      comment: 'every setting from a file, with another id',
    },
  ],
  async run({ args, io, api, out }) {
    const body = await buildTemplateBody(args, io);
    const answer = await api().send({ method: 'POST', path: '/job-templates', body });
    const created = readAnswer(createdTemplateSchema, answer, 'creating a template');
    out.result(answer.body, () => [
      `Created job template ${created.jobTemplateId} (${created.jobTemplateArn})`,
    ]);
    return ExitCode.OK;
  },
};

const list: Command = {
  path: ['templates', 'list'],
  summary: 'list job templates',
  options: paginationOptions(maxTemplatePage, 'templates'),
  examples: [
    { command: 'fleetwave templates list', comment: 'the first page' },
    { command: 'fleetwave templates list --all --json', comment: 'every template, as JSON' },
  ],
  async run(context) {
    const page = await fetchPages(context, {
      path: '/job-templates',
      item: templateSummarySchema,
      maxLimit: maxTemplatePage,
      what: 'listing templates',
    });
    printPage(
      context,
      page,
      () =>
        page.items.length === 0
          ? ['No job templates.']
          : formatTable(
              ['ID', 'CREATED', 'DESCRIPTION'],
              page.items.map((t) => [t.jobTemplateId, t.createdAt ?? '', t.description ?? '']),
            ),
      'fleetwave templates list',
    );
    return ExitCode.OK;
  },
};

/** The document pretty-printed when it is JSON, as sent otherwise. */
function documentLines(document: string): string[] {
  try {
    return JSON.stringify(JSON.parse(document), null, 2).split('\n');
  } catch {
    return [document];
  }
}

const get: Command = {
  path: ['templates', 'get'],
  summary: 'show one job template',
  positionals: idPositional,
  options: [],
  examples: [{ command: 'fleetwave templates get fw-2-4', comment: 'settings and document' }],
  async run({ positionals, api, out }) {
    const id = positionals[0] as string;
    const answer = await api().send({ method: 'GET', path: pathOf('job-templates', id) });
    const template = readAnswer(templateSchema, answer, 'describing a template');
    out.result(answer.body, () => {
      const settings = Object.entries(template).filter(
        ([k]) =>
          ![
            'jobTemplateId',
            'jobTemplateArn',
            'description',
            'createdAt',
            'document',
            'documentSource',
          ].includes(k),
      );
      return [
        ...formatFields([
          ['id', template.jobTemplateId],
          ['arn', template.jobTemplateArn],
          ['description', template.description],
          ['created', template.createdAt],
          ['document source', template.documentSource],
          ...settings.map(([k, v]) => [k, JSON.stringify(v)] as const),
        ]),
        ...(template.document !== undefined
          ? ['document:', ...documentLines(template.document).map((l) => `  ${l}`)]
          : []),
      ];
    });
    return ExitCode.OK;
  },
};

const remove: Command = {
  path: ['templates', 'delete'],
  summary: 'delete a job template',
  positionals: idPositional,
  options: [],
  examples: [{ command: 'fleetwave templates delete fw-2-4', comment: 'jobs made from it are not touched' }],
  async run({ positionals, api, out }) {
    const id = positionals[0] as string;
    await api().send({ method: 'DELETE', path: pathOf('job-templates', id) });
    out.result({ jobTemplateId: id, deleted: true }, () => [`Deleted job template ${id}`]);
    return ExitCode.OK;
  },
};

export const templateCommands: readonly Command[] = [create, list, get, remove];
