/**
 * Reads a definition the way CreateStateMachine does: JSON first, then the
 * Amazon States Language rules (asl-validator, through the library), then what
 * the local endpoint can run. Every refusal is an `InvalidDefinition`.
 */
import '../promise-with-resolvers.js';
import { StateMachine } from 'aws-local-stepfunctions';
import { sfnError } from '../errors.js';
import { isJsonObject, tryParseJson } from '../json.js';
import { type PreparedDefinition, prepareDefinition } from './prepare.js';

export interface ParsedDefinition {
  prepared: PreparedDefinition;
  /** The library's machine for the prepared definition. */
  machine: StateMachine;
}

export function parseDefinition(text: string): ParsedDefinition {
  const parsed = tryParseJson(text);
  if (!parsed || !isJsonObject(parsed.value)) {
    throw sfnError('InvalidDefinition', "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION'");
  }
  try {
    // Validates the definition as written (ARNs, paths, reachability).
    new StateMachine(parsed.value as never);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error);
    throw sfnError(
      'InvalidDefinition',
      `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ${detail}'`,
    );
  }
  const prepared = prepareDefinition(parsed.value);
  // The prepared form holds local-only resources, so it skips validation.
  const machine = new StateMachine(prepared.runnable, { validationOptions: { noValidate: true } });
  return { prepared, machine };
}
