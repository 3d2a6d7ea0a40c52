/**
 * The release maps of the configuration, parsed once per configuration by
 * the functions that use them (the GitHub and GitLab webhooks). The rest of
 * the functions never load the release-plan schemas, and a bad map fails
 * the webhook's first invocation naming the variable and the field, without
 * touching any other function.
 */
import { type Config, ConfigError, perConfig } from '../config.js';
import { ValidationError } from '../domain/errors.js';
import { parseReleaseMap, type ReleaseMap } from './release-map.js';

/** A CI provider with a release map; a provider without a map starts no tag releases. */
export type Provider = 'github' | 'gitlab';

const variables = { github: 'FLEETWAVE_GITHUB_RELEASE_MAP', gitlab: 'FLEETWAVE_GITLAB_RELEASE_MAP' } as const;

/**
 * Parses one provider's release map of `config` (undefined when none is
 * given), so a bad map of one provider never fails the other's webhook.
 * @throws ConfigError naming the variable and the field of a bad map
 */
export function releaseMapOf(
  config: Pick<Config, 'releaseMapSources'>,
  provider: Provider,
): ReleaseMap | undefined {
  const json = config.releaseMapSources[provider];
  // Empty means unset: serverless.yml passes `${env:..., ''}` when no map is given at deploy time.
  if (json === undefined || json.trim() === '') return undefined;
  try {
    return parseReleaseMap(json);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const variable = variables[provider];
    const problems = error.details.map((d) => `${variable}${d.path ? `.${d.path}` : ''} ${d.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
}

const cached = {
  github: perConfig((c) => releaseMapOf(c, 'github')),
  gitlab: perConfig((c) => releaseMapOf(c, 'gitlab')),
};

/** The process's release map of `provider`, parsed once per configuration. */
export function releaseMap(provider: Provider): ReleaseMap | undefined {
  return cached[provider]();
}
