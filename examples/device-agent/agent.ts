/**
 * A reference device agent for AWS IoT Jobs, on AWS's device SDK. It runs the
 * same against AWS IoT and fleetwave's local stack: only the flags differ.
 * See README.md beside it and docs/devices.md.
 */
import { once } from 'node:events';
import { setTimeout as pauseFor } from 'node:timers/promises';
import { iotjobs } from 'aws-iot-device-sdk-v2';
import { type AgentOptions, parseAgentOptions, UsageError, usage } from './agent-options.js';
import { describeError } from './describe-error.js';
import { download } from './download.js';
import { type JobRunnerPorts, runJob } from './job-runner.js';
import { connectJobs, type JobsConnection } from './jobs-connection.js';
import { stepDetails } from './progress.js';
import { Wakeup } from './wakeup.js';

/** aws-crt's SubscriptionStatusEventType values, which the SDK does not re-export. */
const SUBSCRIPTION_ESTABLISHED = 0;
const SUBSCRIPTION_HALTED = 2;

/** Wait before asking again after start-next itself failed (a timeout, a lost connection). */
const RETRY_AFTER_MS = 5000;

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  let options: AgentOptions | undefined;
  try {
    options = parseAgentOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage}\n`);
    return 2;
  }
  if (options === undefined) {
    log(usage);
    return 0;
  }
  const stop = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.once(name, () => {
      log(`agent stopping ${name}`);
      stop.abort();
    });
  }
  const connection = await connectJobs(options);
  log(
    `agent connected endpoint=${options.endpoint}:${options.port} mqtt=${options.mqtt} thing=${options.thing}`,
  );
  try {
    await work(connection, options, stop.signal);
  } finally {
    await connection.close();
  }
  log('agent stopped');
  return 0;
}

async function work(connection: JobsConnection, options: AgentOptions, signal: AbortSignal): Promise<void> {
  const { jobs } = connection;
  const thingName = options.thing;
  const wake = new Wakeup();
  const stream = jobs.createNextJobExecutionChangedStream({ thingName });
  stream.on('incomingPublish', (event) => {
    // notify-next without an execution says the queue is empty: nothing to do.
    if (event.message.execution) wake.ring();
  });
  const subscribed = new Promise<void>((resolve, reject) => {
    stream.on('subscriptionStatus', (event) => {
      if (event.type === SUBSCRIPTION_ESTABLISHED) {
        // Also after a reconnect: a notify-next sent while the link was down is lost, so ask again.
        wake.ring();
        resolve();
      } else if (event.type === SUBSCRIPTION_HALTED) {
        reject(new Error(`notify-next subscription failed: ${describeError(event.error)}`));
      }
    });
  });
  stream.open();
  // Subscribed before the first start-next, so a job queued in between rings the bell.
  await Promise.race([subscribed, once(signal, 'abort')]);
  const ports: JobRunnerPorts = {
    update: async (jobId, status, statusDetails) => {
      try {
        await jobs.updateJobExecution({
          thingName,
          jobId,
          status: iotjobs.model.JobStatus[status],
          statusDetails,
        });
      } catch (error) {
        throw new Error(describeError(error));
      }
    },
    download,
    pause: async (ms, pauseSignal) => {
      await pauseFor(ms, undefined, { signal: pauseSignal });
    },
    log,
  };
  let done = 0;
  while (!signal.aborted && (options.maxJobs === undefined || done < options.maxJobs)) {
    wake.clear();
    let started: Awaited<ReturnType<typeof jobs.startNextPendingJobExecution>>;
    try {
      started = await jobs.startNextPendingJobExecution({
        thingName,
        statusDetails: stepDetails('starting'),
        ...(options.stepTimeoutMinutes === undefined
          ? {}
          : { stepTimeoutInMinutes: options.stepTimeoutMinutes }),
      });
    } catch (error) {
      if (signal.aborted) break;
      process.stderr.write(`start-next failed: ${describeError(error)}\n`);
      await pauseFor(RETRY_AFTER_MS, undefined, { signal }).catch(() => undefined);
      continue;
    }
    const execution = started.execution;
    if (execution?.jobId === undefined) {
      log('agent idle');
      await wake.wait(signal);
      continue;
    }
    await runJob({ jobId: execution.jobId, jobDocument: execution.jobDocument }, options, ports, signal);
    done += 1;
  }
  stream.close();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`agent failed: ${describeError(error)}\n`);
    process.exit(1);
  },
);
