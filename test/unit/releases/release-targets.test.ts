import { describe, expect, it } from 'vitest';
import { ThrottledError, ValidationError } from '../../../lib/domain/errors.js';
import { parseReleaseRequest } from '../../../lib/domain/release-request.js';
import { namedTargets } from '../../../lib/domain/release-targets.js';
import { createRelease } from '../../../lib/releases/create-release.js';
import { createReleaseBodySchema } from '../../../lib/releases/schemas.js';
import { fakes, releaseBody } from './fakes.js';

const body = (overrides: Record<string, unknown> = {}) =>
  createReleaseBodySchema.parse(releaseBody(overrides));

/** Fleet `doors` + `gone-group`, wave 1 its own things (one missing, twice), wave 2 the rest. */
const withMissing = {
  targets: { thingGroups: ['doors', 'gone-group'], things: ['door-1'] },
  waves: [
    { targets: { things: ['door-2', 'ghost', 'door-1'], thingGroups: ['gone-group'] } },
    { percentage: 100 },
  ],
};

describe('namedTargets', () => {
  it('lists each distinct name once, with every field that names it, in request order', () => {
    const request = parseReleaseRequest({ releaseId: 'r', jobTemplateId: 't', ...withMissing });
    expect(namedTargets(request)).toEqual([
      { kind: 'thingGroup', name: 'doors', paths: ['targets.thingGroups.0'] },
      {
        kind: 'thingGroup',
        name: 'gone-group',
        paths: ['targets.thingGroups.1', 'waves.0.targets.thingGroups.0'],
      },
      { kind: 'thing', name: 'door-1', paths: ['targets.things.0', 'waves.0.targets.things.2'] },
      { kind: 'thing', name: 'door-2', paths: ['waves.0.targets.things.0'] },
      { kind: 'thing', name: 'ghost', paths: ['waves.0.targets.things.1'] },
    ]);
  });
});

describe('createRelease checks the named targets', () => {
  it('refuses a missing group or thing with a 400 naming each field and name, and stores nothing', async () => {
    const deps = fakes();
    const refused = createRelease(deps, { body: body({ releaseId: 'r-missing', ...withMissing }) });
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toMatchObject({
      details: [
        { path: 'targets.thingGroups.1', message: 'names no thing group (gone-group does not exist)' },
        {
          path: 'waves.0.targets.thingGroups.0',
          message: 'names no thing group (gone-group does not exist)',
        },
        { path: 'waves.0.targets.things.1', message: 'names no thing (ghost does not exist)' },
      ],
    });
    expect(deps.store.releases.size).toBe(0);
    expect(deps.executions.executions.size).toBe(0);
    // One look-up per distinct name, however many fields repeat it.
    expect(deps.registry.asked.sort()).toEqual(
      ['thing:door-1', 'thing:door-2', 'thing:ghost', 'thingGroup:doors', 'thingGroup:gone-group'].sort(),
    );
  });

  it('names the missing group of the default example fleet', async () => {
    const deps = fakes();
    deps.registry.thingGroups.delete('doors');
    await expect(createRelease(deps, { body: body() })).rejects.toMatchObject({
      name: 'ValidationError',
      details: [{ path: 'targets.thingGroups.0', message: 'names no thing group (doors does not exist)' }],
    });
    expect(deps.store.releases.size).toBe(0);
  });

  it('stores a release whose every target exists', async () => {
    const deps = fakes();
    const result = await createRelease(deps, {
      body: body({
        releaseId: 'r-all-there',
        ...withMissing,
        targets: { thingGroups: ['doors'] },
        waves: [{ targets: { things: ['door-1'] } }, { percentage: 100 }],
      }),
    });
    expect(result.created).toBe(true);
    expect(deps.store.releases.size).toBe(1);
  });

  it('passes throttling while checking through as ThrottledError, stores nothing and asks no further', async () => {
    const deps = fakes();
    deps.registry.faults.fail('exists', new ThrottledError('IoT is throttling', 2));
    const things = Array.from({ length: 40 }, (_, i) => `t-${i}`);
    deps.registry.things.clear();
    for (const t of things) deps.registry.things.add(t);
    const refused = createRelease(deps, { body: body({ targets: { thingGroups: ['doors'], things } }) });
    await expect(refused).rejects.toMatchObject({ name: 'ThrottledError', retryAfterSeconds: 2 });
    expect(deps.store.releases.size).toBe(0);
    // The look-ups already in flight finish; no new one starts after the throttle.
    expect(deps.registry.asked.length).toBeLessThan(41);
  });

  it('does not look the targets up again for a repeat of a stored request', async () => {
    const deps = fakes();
    await createRelease(deps, { body: body(), idempotencyKey: 'again' });
    const asked = deps.registry.asked.length;
    deps.registry.thingGroups.delete('doors');
    expect((await createRelease(deps, { body: body(), idempotencyKey: 'again' })).created).toBe(false);
    expect(deps.registry.asked.length).toBe(asked);
  });
});
