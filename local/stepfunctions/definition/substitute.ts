/**
 * `DefinitionSubstitutions` as CloudFormation (and so serverless.yml) applies
 * them: every `${Name}` in the definition text is replaced by its value before
 * the definition is parsed. A placeholder with no value is a deployment
 * mistake, so it is refused here rather than left to fail at run time.
 */
import { sfnError } from '../errors.js';

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** Replaces `${Name}` placeholders; throws `InvalidDefinition` naming any placeholder left without a value. */
export function substituteDefinition(
  definition: string,
  substitutions: Readonly<Record<string, string>> = {},
): string {
  const missing = new Set<string>();
  const text = definition.replace(PLACEHOLDER, (whole, name: string) => {
    const value = substitutions[name];
    if (value === undefined) {
      missing.add(name);
      return whole;
    }
    // Escaped as JSON string content, so a value with a quote cannot break the document.
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) {
    throw sfnError(
      'InvalidDefinition',
      `Invalid State Machine Definition: 'no substitution given for ${[...missing].map((n) => `\${${n}}`).join(', ')}'`,
    );
  }
  return text;
}
