/**
 * Topics and published messages of the local SNS: CreateTopic (idempotent
 * by name, as on AWS), ListTopics (pages of 100) and Publish to a topic with
 * SNS's checks on the topic, subject, message, structure and attributes.
 * Messages are recorded (a bounded log) instead of being delivered.
 */
import { randomUUID } from 'node:crypto';
import { RingBuffer } from '../eventbridge/ring-buffer.js';
import { invalidParameter, SnsError } from './query-protocol.js';

export interface SnsLocation {
  region: string;
  accountId: string;
}

export interface Topic {
  arn: string;
  name: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

/** A message attribute as Publish received it. */
export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  /** Base64, as the query protocol carries binary values. */
  BinaryValue?: string;
}

/** A message Publish accepted. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  messageStructure?: string;
  messageAttributes: Record<string, MessageAttribute>;
  /** Virtual epoch ms. */
  publishedAt: number;
}

export interface PublishInput {
  TopicArn?: string;
  TargetArn?: string;
  PhoneNumber?: string;
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, MessageAttribute>;
}

/** SNS's limit on a message, its attributes included: 256 KB. */
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_SUBJECT_LENGTH = 100;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$/;
const ATTRIBUTE_TYPE = /^(String|Number|Binary|String\.Array)(\..+)?$/;

function checkSubject(subject: string | undefined): void {
  if (subject === undefined) return;
  // SNS: non-empty text without line breaks or control characters, at most 100 characters.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what SNS refuses.
  if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH || /[\u0000-\u001f\u007f]/.test(subject)) {
    throw invalidParameter('Subject');
  }
}

function checkAttributes(attributes: Record<string, MessageAttribute>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes)) {
    if (!ATTRIBUTE_TYPE.test(value.DataType)) {
      throw new SnsError(
        'ParameterValueInvalid',
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const isBinary = value.DataType.startsWith('Binary');
    const payload = isBinary ? value.BinaryValue : value.StringValue;
    if (payload === undefined || payload === '') {
      throw new SnsError(
        'ParameterValueInvalid',
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${value.DataType}'.`,
      );
    }
    if (value.DataType.startsWith('Number') && !Number.isFinite(Number(payload))) {
      throw new SnsError(
        'ParameterValueInvalid',
        `Could not cast message attribute '${name}' value to number.`,
      );
    }
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(payload);
  }
  return bytes;
}

function checkStructure(structure: string | undefined, message: string): void {
  if (structure === undefined) return;
  if (structure !== 'json') throw invalidParameter('MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as { default?: unknown }).default !== 'string'
  ) {
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
}

export class SnsTopics {
  private readonly topics = new Map<string, Topic>();
  private readonly log: RingBuffer<PublishedMessage>;

  constructor(
    private readonly location: SnsLocation,
    private readonly now: () => number,
    capacity: number,
  ) {
    this.log = new RingBuffer(capacity);
  }

  arnOf(name: string): string {
    return `arn:aws:sns:${this.location.region}:${this.location.accountId}:${name}`;
  }

  /** Creates a topic, or returns the existing one of that name. */
  createTopic(
    name: string | undefined,
    attributes: Record<string, string> = {},
    tags: Record<string, string> = {},
  ): Topic {
    if (name === undefined) {
      throw new SnsError(
        'ValidationError',
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
      );
    }
    const fifo = attributes.FifoTopic === 'true';
    const base = fifo && name.endsWith('.fifo') ? name.slice(0, -'.fifo'.length) : name;
    if (!TOPIC_NAME.test(base) || (fifo && !name.endsWith('.fifo'))) throw invalidParameter('Topic Name');
    const arn = this.arnOf(name);
    const existing = this.topics.get(arn);
    if (existing) return existing;
    const topic: Topic = { arn, name, attributes: { ...attributes }, tags: { ...tags } };
    this.topics.set(arn, topic);
    return topic;
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  publish(input: PublishInput): PublishedMessage {
    if (input.Message === undefined) {
      throw new SnsError(
        'ValidationError',
        "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null",
      );
    }
    if (input.TopicArn === undefined) {
      if (input.TargetArn !== undefined || input.PhoneNumber !== undefined) {
        throw invalidParameter('TargetArn Reason: only publishing to topics is emulated locally');
      }
      throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    }
    if (!TOPIC_ARN.test(input.TopicArn)) throw invalidParameter('TopicArn');
    if (input.Message === '') throw invalidParameter('Empty message');
    checkSubject(input.Subject);
    checkStructure(input.MessageStructure, input.Message);
    const attributes = input.MessageAttributes ?? {};
    if (Buffer.byteLength(input.Message) + checkAttributes(attributes) > MAX_MESSAGE_BYTES) {
      throw invalidParameter('Message too long');
    }
    if (!this.topics.has(input.TopicArn)) throw new SnsError('NotFound', 'Topic does not exist');
    const message: PublishedMessage = {
      messageId: randomUUID(),
      topicArn: input.TopicArn,
      ...(input.Subject !== undefined && { subject: input.Subject }),
      message: input.Message,
      ...(input.MessageStructure !== undefined && { messageStructure: input.MessageStructure }),
      messageAttributes: attributes,
      publishedAt: this.now(),
    };
    this.log.push(message);
    return message;
  }

  messages(): PublishedMessage[] {
    return this.log.toArray();
  }

  /** Messages still kept, oldest first, with sequence numbers that survive eviction and clearing. */
  sequenced(): { seq: number; item: PublishedMessage }[] {
    return this.log.sequenced();
  }

  clearMessages(): void {
    this.log.clear();
  }
}
