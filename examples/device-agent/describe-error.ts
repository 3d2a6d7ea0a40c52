/**
 * One line for anything the SDK throws: aws-crt rejects some promises with a
 * plain string, and the jobs client's ServiceError carries the service's
 * rejection (code, message) in `modeledError`.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const modeled = (error as { modeledError?: unknown }).modeledError;
  return modeled === undefined ? error.message : `${error.message} ${JSON.stringify(modeled)}`;
}
