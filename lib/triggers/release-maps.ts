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

/** Repository → release plan, by provider; a provider without a map starts no tag releases. */
export type ReleaseMaps = { github?: ReleaseMap; gitlab?: ReleaseMap };

const variables = { github: 'FLEETWAVE_GITHUB_RELEASE_MAP', gitlab: 'FLEETWAVE_GITLAB_RELEASE_MAP' } as const;

/** Parses `config`'s release maps. @throws ConfigError naming the variable and the field of a bad map */
export function releaseMapsOf(config: Pick<Config, 'releaseMapSources'>): ReleaseMaps {
  const maps: ReleaseMaps = {};
  for (const provider of ['github', 'gitlab'] as const) {
    const json = config.releaseMapSources[provider];
    // Empty means unset: serverless.yml passes `${env:..., ''}` when no map is given at deploy time.
    if (json === undefined || json.trim() === '') continue;
    try {
      maps[provider] = parseReleaseMap(json);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const variable = variables[provider];
      const problems = error.details.map((d) => `${variable}${d.path ? `.${d.path}` : ''} ${d.message}`);
      throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
    }
  }
  return maps;
}

/** The process's release maps. */
export const releaseMaps: () => ReleaseMaps = perConfig(releaseMapsOf);
