/**
 * The local SNS: an {@link AwsService} for requests signed for `sns`,
 * answering the query protocol that both `@aws-sdk/client-sns` (its
 * `AwsQueryProtocol`) and the AWS CLI send: CreateTopic, ListTopics and
 * Publish. Published messages are recorded, readable in code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../aws-endpoint/http-io.js';
import type { AwsService } from '../aws-endpoint/router.js';
import type { Clock } from '../clock/clock.js';
import { flattenedEntries, SnsError, sendError, sendResult, type XmlContent } from './query-protocol.js';
import {
  type MessageAttribute,
  type PublishedMessage,
  type PublishInput,
  SnsTopics,
  type Topic,
} from './topics.js';

export interface SnsServiceOptions {
  clock: Clock;
  /** Defaults to `us-east-1`. */
  region?: string;
  /** Defaults to `000000000000`. */
  accountId?: string;
  /** How many published messages to keep (oldest forgotten first); 1000 by default. */
  maxRecordedMessages?: number;
}

export interface SnsService extends AwsService {
  readonly signingName: 'sns';
  readonly region: string;
  readonly accountId: string;
  /** Creates a topic (idempotent), as a deployment would; returns its ARN. */
  createTopic(name: string, attributes?: Record<string, string>): string;
  topics(): Topic[];
  /** Publish in process: the same checks and recording as over HTTP; throws an SnsError. */
  publish(input: PublishInput): PublishedMessage;
  /** Published messages, oldest first, optionally of one topic. */
  messages(filter?: { topicArn?: string }): PublishedMessage[];
  /** Published messages still kept, oldest first, each with its sequence number. */
  sequenced(): { seq: number; item: PublishedMessage }[];
  clearMessages(): void;
}

const PAGE_SIZE = 100;

/** `Tags.member.N.Key` / `.Value` as a record. */
function tagsOf(params: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [name, key] of params) {
    const match = /^Tags\.member\.(\d+)\.Key$/.exec(name);
    if (match) tags[key] = params.get(`Tags.member.${match[1]}.Value`) ?? '';
  }
  return tags;
}

function messageAttributesOf(params: URLSearchParams): Record<string, MessageAttribute> {
  const attributes: Record<string, MessageAttribute> = {};
  for (const { key, fields } of flattenedEntries(params, 'MessageAttributes', 'Name')) {
    const stringValue = fields.get('Value.StringValue');
    const binaryValue = fields.get('Value.BinaryValue');
    attributes[key] = {
      DataType: fields.get('Value.DataType') ?? '',
      ...(stringValue !== undefined && { StringValue: stringValue }),
      ...(binaryValue !== undefined && { BinaryValue: binaryValue }),
    };
  }
  return attributes;
}

const optional = (params: URLSearchParams, name: string): string | undefined => params.get(name) ?? undefined;

export function createSnsService(options: SnsServiceOptions): SnsService {
  const location = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '000000000000' };
  const topics = new SnsTopics(location, () => options.clock.now(), options.maxRecordedMessages ?? 1000);

  const actions: Record<string, (params: URLSearchParams) => XmlContent | undefined> = {
    CreateTopic: (params) => {
      const attributes = Object.fromEntries(
        flattenedEntries(params, 'Attributes', 'key').map(({ key, fields }) => [
          key,
          fields.get('value') ?? '',
        ]),
      );
      return { TopicArn: topics.createTopic(optional(params, 'Name'), attributes, tagsOf(params)).arn };
    },
    ListTopics: (params) => {
      const all = topics.list();
      const start = params.has('NextToken') ? Number.parseInt(params.get('NextToken') ?? '', 10) : 0;
      if (!Number.isInteger(start) || start < 0 || start > all.length) {
        throw new SnsError('InvalidParameter', 'Invalid parameter: NextToken');
      }
      const page = all.slice(start, start + PAGE_SIZE).map((t) => ({ member: { TopicArn: t.arn } }));
      const result: XmlContent = { Topics: page };
      if (start + PAGE_SIZE < all.length) result.NextToken = String(start + PAGE_SIZE);
      return result;
    },
    Publish: (params) => {
      const published = topics.publish({
        TopicArn: optional(params, 'TopicArn'),
        TargetArn: optional(params, 'TargetArn'),
        PhoneNumber: optional(params, 'PhoneNumber'),
        Message: optional(params, 'Message'),
        Subject: optional(params, 'Subject'),
        MessageStructure: optional(params, 'MessageStructure'),
        MessageAttributes: messageAttributesOf(params),
      });
      return { MessageId: published.messageId };
    },
  };

  async function dispatch(req: IncomingMessage): Promise<{ action: string; result: XmlContent | undefined }> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const params = new URLSearchParams(url.search);
    for (const [name, value] of new URLSearchParams(await readBody(req))) params.append(name, value);
    const action = params.get('Action') ?? '';
    const run = actions[action];
    if (!run) throw new SnsError('InvalidAction', `The action ${action} is not valid for this web service.`);
    return { action, result: run(params) };
  }

  return {
    signingName: 'sns',
    ...location,
    handle(req: IncomingMessage, res: ServerResponse): void {
      dispatch(req).then(
        ({ action, result }) => sendResult(res, action, result),
        (error: unknown) =>
          sendError(
            res,
            error instanceof SnsError
              ? error
              : new SnsError('InternalError', error instanceof Error ? error.message : String(error)),
          ),
      );
    },
    createTopic: (name, attributes) => topics.createTopic(name, attributes).arn,
    topics: () => topics.list(),
    publish: (input) => topics.publish(input),
    messages: (filter = {}) =>
      topics.messages().filter((m) => filter.topicArn === undefined || m.topicArn === filter.topicArn),
    sequenced: () => topics.sequenced(),
    clearMessages: () => topics.clearMessages(),
  };
}
