/** The job templates: a list, and one template's details. */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, withQuery } from '../api.js';
import { time } from '../format.js';
import { Pager, Table } from '../parts/table.js';
import { templateHref } from '../router.js';
import type { JobTemplateSummary, Page } from '../types.js';
import { usePoll } from '../use-poll.js';

export function TemplateList() {
  const [tokens, setTokens] = useState<string[]>([]);
  const { data, error } = usePoll<Page<JobTemplateSummary>>(
    withQuery('/job-templates', { limit: 50, nextToken: tokens[tokens.length - 1] }),
    { live: false },
  );
  return (
    <main>
      <h1 tabIndex={-1}>Job templates</h1>
      {error && <p class="error">{error.message}</p>}
      {data && (
        <Table
          columns={['Template', 'Description', 'Created']}
          rows={data.items}
          empty="No job templates."
          row={(t) => (
            <tr key={t.jobTemplateId}>
              <td>
                <a href={templateHref(t.jobTemplateId)}>{t.jobTemplateId}</a>
              </td>
              <td>{t.description ?? '–'}</td>
              <td>{time(t.createdAt)}</td>
            </tr>
          )}
        />
      )}
      <Pager trail={tokens} nextToken={data?.nextToken} go={setTokens} />
    </main>
  );
}

/** A template's details: every field DescribeJobTemplate gives, the document shown as text. */
export function TemplatePage(props: { jobTemplateId: string }) {
  const { data, error } = usePoll<JobTemplateSummary & Record<string, unknown>>(
    `/job-templates/${encodeURIComponent(props.jobTemplateId)}`,
    { live: false },
  );
  const doc = data?.document;
  const rest = Object.entries(data ?? {}).filter(([k]) => k !== 'document');
  return (
    <main>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href="/dashboard/templates">Job templates</a> › <span>{props.jobTemplateId}</span>
      </nav>
      <h1 tabIndex={-1}>Template {props.jobTemplateId}</h1>
      {error && (
        <p class="error">{error instanceof ApiError && error.status === 404 ? 'No such template.' : error.message}</p>
      )}
      {data && (
        <>
          <dl class="facts">
            {rest.map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{typeof v === 'string' ? (k === 'createdAt' ? time(v) : v) : <code>{JSON.stringify(v)}</code>}</dd>
              </Fragment>
            ))}
          </dl>
          {typeof doc === 'string' && (
            <>
              <h2>Job document</h2>
              <pre class="document">{doc}</pre>
            </>
          )}
        </>
      )}
    </main>
  );
}
