/**
 * The events panel: the EventBridge events and SNS messages the local stack
 * recorded, newest first. A deployed API has no such routes (404): the
 * panel says so instead.
 */
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.js';
import { time } from '../format.js';
import { Table } from '../parts/table.js';
import type { LocalEvent, LocalMessage } from '../types.js';
import { usePoll } from '../use-poll.js';

function Unavailable(props: { error: Error; children: ComponentChildren }) {
  if (props.error instanceof ApiError && props.error.status === 404) return <p class="note">{props.children}</p>;
  return <p class="error">{props.error.message}</p>;
}

/** Said for both kinds of record when the API is not the local stack's. */
function onlyLocal(what: string) {
  return (
    <>
      Only the local stack records {what} (<code>npm start</code>); a deployed API has no such route.
    </>
  );
}

export function EventsPage() {
  const events = usePoll<{ events: LocalEvent[] }>('/_fleetwave/events?maxResults=50');
  const messages = usePoll<{ messages: LocalMessage[] }>('/_fleetwave/sns/messages?maxResults=50');
  return (
    <main>
      <h1 tabIndex={-1}>Events and messages</h1>
      <section aria-labelledby="events-title">
        <h2 id="events-title">EventBridge events</h2>
        {events.error && <Unavailable error={events.error}>{onlyLocal('EventBridge events')}</Unavailable>}
        {events.data && (
          <Table
            columns={['Time', 'Detail type', 'Source', 'Bus', 'Detail']}
            rows={events.data.events}
            empty="No events yet."
            row={(e) => (
              <tr key={e.id}>
                <td>{time(e.time)}</td>
                <td>{e['detail-type']}</td>
                <td>{e.source}</td>
                <td>{e.eventBusName ?? '–'}</td>
                <td>
                  <code class="json">{JSON.stringify(e.detail)}</code>
                </td>
              </tr>
            )}
          />
        )}
      </section>
      <section aria-labelledby="messages-title">
        <h2 id="messages-title">SNS messages</h2>
        {messages.error && <Unavailable error={messages.error}>{onlyLocal('SNS messages')}</Unavailable>}
        {messages.data && (
          <Table
            columns={['Time', 'Topic', 'Subject', 'Message']}
            rows={messages.data.messages}
            empty="No messages yet."
            row={(m) => (
              <tr key={m.messageId}>
                <td>{time(m.timestamp)}</td>
                <td>{m.topicArn.split(':').pop()}</td>
                <td>{m.subject ?? '–'}</td>
                <td>
                  <code class="json">{m.message}</code>
                </td>
              </tr>
            )}
          />
        )}
      </section>
    </main>
  );
}
