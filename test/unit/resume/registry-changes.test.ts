/**
 * Putting the registry's saved additions back after a restart: a saved
 * membership whose thing or group no longer exists (a fleet planned
 * differently this time) is dropped, and the rest comes back, so one stale
 * line never stops every restart.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { ArnFactory } from '../../../local/iot/arn.js';
import { ThingRegistry } from '../../../local/iot/registry/thing-registry.js';
import { restoreRegistryChanges } from '../../../local/resume/registry-changes.js';

describe('restoring registry additions', () => {
  it('drops a membership whose thing or group is gone and restores the rest', () => {
    const registry = new ThingRegistry(
      new ArnFactory('us-east-1', '000000000000'),
      new VirtualClock({ start: 0 }),
    );
    const restored = restoreRegistryChanges(registry, {
      groups: [{ thingGroupName: 'lab', thingGroupId: 'g-1', attributes: {}, creationDate: 0 }],
      things: [{ thingName: 'probe-1', thingId: 't-1', attributes: {} }],
      members: [
        { thingGroupName: 'lab', thingNames: ['probe-1', 'seeded-but-not-any-more'] },
        { thingGroupName: 'gone-group', thingNames: ['probe-1'] },
      ],
    });
    expect(restored).toEqual({ things: 1, groups: 1 });
    expect([...(registry.getThing('probe-1')?.groups ?? [])]).toEqual(['lab']);
  });
});
