/**
 * Invoking a local handler the way Lambda would: a Lambda context object, the
 * event and result passed through JSON, a thrown error turned into the
 * `{errorType, errorMessage, trace}` function error, and, for the optimised
 * `lambda:invoke` integration, the `{ExecutedVersion, Payload, StatusCode, ...}`
 * response the same ASL sees on AWS.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { SfnLocation } from '../arn.js';
import { type Json, jsonRoundTrip } from '../json.js';
import { failureFromThrown } from './task-failure.js';

/** A local handler a Task resolves to: a Lambda handler, or a stand-in for another service integration. */
export type TaskHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Maps a function ARN (or name, or a service-integration Resource ARN) to its local handler. */
export type TaskResolver = (functionArnOrName: string) => TaskHandler | undefined;

/** A function name or partial ARN as the full ARN Lambda reports in `invokedFunctionArn`. */
export function functionArnOf(nameOrArn: string, at: SfnLocation): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `arn:aws:lambda:${at.region}:${at.accountId}:function:${nameOrArn}`;
}

function lambdaContext(functionArn: string, requestId: string, remainingMs: () => number): Context {
  const functionName = functionArn.split(':')[6] ?? functionArn;
  const noop = () => undefined;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: remainingMs,
    done: noop,
    fail: noop,
    succeed: noop,
  };
}

export interface LocalInvocation {
  handler: TaskHandler;
  functionArn: string;
  event: unknown;
  /** Milliseconds the handler has left, as `context.getRemainingTimeInMillis()` reports. */
  remainingMs: () => number;
}

/** Runs a handler; resolves with its JSON result, rejects with the function error as a {@link TaskFailure}. */
export async function invokeLocal(invocation: LocalInvocation): Promise<{ result: Json; requestId: string }> {
  const requestId = randomUUID();
  const context = lambdaContext(invocation.functionArn, requestId, invocation.remainingMs);
  try {
    const result = await invocation.handler(jsonRoundTrip(invocation.event), context);
    return { result: jsonRoundTrip(result), requestId };
  } catch (error) {
    throw failureFromThrown(error);
  }
}

/** The response of `arn:aws:states:::lambda:invoke` around a function's result. */
export function lambdaInvokeResponse(payload: Json, requestId: string, date: number): Json {
  const headers = {
    Connection: 'keep-alive',
    'Content-Type': 'application/json',
    Date: new Date(date).toUTCString(),
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}
