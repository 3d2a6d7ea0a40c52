/**
 * The errors the IoT control plane answers with, by their wire names. The SDK
 * reads the name from the `x-amzn-errortype` header and the message from the
 * JSON body, so an {@link IotError} carries exactly those two, the HTTP status
 * AWS uses for that name, and the extra body members some errors have
 * (`resourceId`, `resourceArn`).
 */

/** HTTP status per error name, as the IoT service model declares them. */
export const iotErrorStatus = {
  InvalidRequestException: 400,
  // AWS IoT throttles with 400, not 429.
  ThrottlingException: 400,
  UnauthorizedException: 401,
  ResourceNotFoundException: 404,
  ResourceAlreadyExistsException: 409,
  ConflictException: 409,
  InvalidStateTransitionException: 409,
  VersionConflictException: 409,
  // UpdateCertificate's refusal to change a REVOKED certificate.
  CertificateStateException: 406,
  LimitExceededException: 410,
  InternalFailureException: 500,
  ServiceUnavailableException: 503,
} as const;

export type IotErrorName = keyof typeof iotErrorStatus;
export const iotErrorNames = Object.keys(iotErrorStatus) as IotErrorName[];

/** Extra members of the error body. */
export interface IotErrorFields {
  resourceId?: string;
  resourceArn?: string;
}

export class IotError extends Error {
  override readonly name: IotErrorName;
  readonly status: number;
  constructor(
    name: IotErrorName,
    message: string,
    readonly fields: IotErrorFields = {},
  ) {
    super(message);
    this.name = name;
    this.status = iotErrorStatus[name];
  }

  /** The JSON body AWS sends: `{"message": ...}` plus the extra members. */
  body(): Record<string, string> {
    return { message: this.message, ...this.fields };
  }
}

export const invalidRequest = (message: string) => new IotError('InvalidRequestException', message);
export const notFound = (message: string) => new IotError('ResourceNotFoundException', message);
export const invalidStateTransition = (message: string) =>
  new IotError('InvalidStateTransitionException', message);
