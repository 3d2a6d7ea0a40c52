/** The part of asl-validator 4's API the tests use (the package ships no types). */
declare module 'asl-validator' {
  interface AslValidation {
    isValid: boolean;
    errors: { message?: string }[];
    errorsText(separator?: string): string;
  }
  export default function aslValidator(definition: unknown, options?: Record<string, unknown>): AslValidation;
}
