/**
 * The errors the Step Functions endpoint answers with. The JSON 1.0 protocol
 * carries the error name in the body's `__type` and the text in `message`;
 * every error the SFN service model declares is an HTTP 400, as on AWS.
 */

/** Error names of the Step Functions API this emulator can answer with. */
export type SfnErrorName =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'InternalFailure';

const statusByName: Partial<Record<SfnErrorName, number>> = { InternalFailure: 500 };

/** An error answered on the wire as `{"__type": name, "message": ...}`. */
export class SfnError extends Error {
  override readonly name: SfnErrorName;
  readonly status: number;
  constructor(name: SfnErrorName, message: string) {
    super(message);
    this.name = name;
    this.status = statusByName[name] ?? 400;
  }

  body(): { __type: SfnErrorName; message: string } {
    return { __type: this.name, message: this.message };
  }
}

export const sfnError = (name: SfnErrorName, message: string): SfnError => new SfnError(name, message);
