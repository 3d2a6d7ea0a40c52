/**
 * A regular expression given as text (a release map's `tagPattern`, a
 * simulated device profile's `thingNameRegex`): refused where it is given
 * when it does not compile, not later where it is used.
 */
import * as z from 'zod';

/** A non-empty regular expression source of at most `maxLength` characters that compiles. */
export function regexSourceSchema(maxLength: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine((source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid regular expression');
}
