/**
 * The AWS query protocol SNS speaks (the SDK's `AwsQueryProtocol`, the AWS
 * CLI's `query`): a form-encoded `POST /` with `Action=<Op>&Version=2010-03-31`
 * and flattened parameters (`MessageAttributes.entry.1.Name`,
 * `Tags.member.1.Key`), answered in XML: `<OpResponse><OpResult>...` and
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error>` on failure.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** The SNS errors this emulator answers with: wire code, HTTP status, fault side. */
const errorSpecs = {
  InvalidParameter: { status: 400, type: 'Sender' },
  ParameterValueInvalid: { status: 400, type: 'Sender' },
  NotFound: { status: 404, type: 'Sender' },
  ValidationError: { status: 400, type: 'Sender' },
  InvalidAction: { status: 400, type: 'Sender' },
  InternalError: { status: 500, type: 'Receiver' },
} as const;

export type SnsErrorCode = keyof typeof errorSpecs;

/** An error answered as SNS answers it: `<ErrorResponse>` with the code's HTTP status. */
export class SnsError extends Error {
  override readonly name: SnsErrorCode;
  constructor(code: SnsErrorCode, message: string) {
    super(message);
    this.name = code;
  }

  get status(): number {
    return errorSpecs[this.name].status;
  }

  get type(): string {
    return errorSpecs[this.name].type;
  }
}

/** `Invalid parameter: <what>` (`InvalidParameter`), SNS's wording for a refused value. */
export const invalidParameter = (what: string): SnsError =>
  new SnsError('InvalidParameter', `Invalid parameter: ${what}`);

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );
}

/** A small XML tree: a string is escaped text, an array is repeated content, an object maps tags to content. */
export type XmlContent = string | number | XmlContent[] | { [tag: string]: XmlContent };

function toXml(content: XmlContent): string {
  if (typeof content === 'string') return escapeXml(content);
  if (typeof content === 'number') return String(content);
  if (Array.isArray(content)) return content.map(toXml).join('');
  return Object.entries(content)
    .map(([tag, inner]) => `<${tag}>${toXml(inner)}</${tag}>`)
    .join('');
}

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  res.end(xml);
}

/** `<ActionResponse><ActionResult>result</ActionResult><ResponseMetadata>...`. */
export function sendResult(res: ServerResponse, action: string, result: XmlContent | undefined): void {
  const requestId = randomUUID();
  const resultXml = result === undefined ? '' : `<${action}Result>${toXml(result)}</${action}Result>`;
  const xml =
    `<?xml version="1.0"?>\n<${action}Response xmlns="${SNS_XMLNS}">${resultXml}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  sendXml(res, 200, xml, requestId);
}

export function sendError(res: ServerResponse, error: SnsError): void {
  const requestId = randomUUID();
  const xml =
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${SNS_XMLNS}">` +
    toXml({ Error: { Type: error.type, Code: error.name, Message: error.message } }) +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  sendXml(res, error.status, xml, requestId);
}

/**
 * Reads a flattened map parameter: `<prefix>.entry.N.<key>` / `.<value>`
 * (`MessageAttributes` uses `Name` and `Value.*`, `Attributes` uses `key`/`value`).
 * Returns the entries in index order as `{key, fields}` where fields are the
 * sub-parameters of the entry (`Value.DataType`, `value`, ...).
 */
export function flattenedEntries(
  params: URLSearchParams,
  prefix: string,
  keyName: string,
): { key: string; fields: Map<string, string> }[] {
  const byIndex = new Map<number, Map<string, string>>();
  const pattern = new RegExp(`^${prefix.replace('.', '\\.')}\\.entry\\.(\\d+)\\.(.+)$`);
  for (const [name, value] of params) {
    const match = pattern.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    const fields = byIndex.get(index) ?? new Map<string, string>();
    fields.set(match[2]!, value);
    byIndex.set(index, fields);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([, fields]) => {
      const key = fields.get(keyName);
      return key === undefined ? [] : [{ key, fields }];
    });
}
