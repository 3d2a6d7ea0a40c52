/**
 * How long the broker's subscription index takes to say whether a job
 * event topic has a subscriber while 20,000 wildcard filters are held
 * (`$aws/+/f{i}/#`, each a different literal under a leading `+`): the
 * question is asked synchronously for every job event and notification.
 *
 *   npx tsx bench/mqtt-subscriptions.ts
 */
import { SubscriptionIndex } from '../local/mqtt/subscription-index.js';

const FILTERS = 20_000;
const MATCHES = 10_000;

const index = new SubscriptionIndex<object>();
index.add(
  {},
  Array.from({ length: FILTERS }, (_, i) => `$aws/+/f${i}/#`),
);
let matched = 0;
const started = performance.now();
for (let i = 0; i < MATCHES; i++) {
  if (index.matches(`$aws/events/jobExecution/job-${i}/succeeded`)) matched++;
  if (index.matches(`$aws/x/f${i}/y`)) matched++;
}
const elapsed = performance.now() - started;
console.log(
  `${FILTERS} wildcard filters: ${((elapsed * 1000) / (2 * MATCHES)).toFixed(2)} µs per matches() (${matched} of ${2 * MATCHES} matched)`,
);
