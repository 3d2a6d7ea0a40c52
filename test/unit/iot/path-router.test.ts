import { describe, expect, it } from 'vitest';
import { PathRouter } from '../../../local/iot/http/path-router.js';

describe('PathRouter', () => {
  const router = new PathRouter<string>();
  router.add('POST', '/thing-groups/{thingGroupName}', 'CreateThingGroup');
  router.add('PUT', '/thing-groups/addThingToThingGroup', 'AddThingToThingGroup');
  router.add('GET', '/things/{thingName}/jobs/{jobId}', 'DescribeJobExecution');
  router.add('GET', '/thing-groups/{thingGroupName}', 'DescribeThingGroup');

  it('decodes labels', () => {
    expect(router.match('GET', '/things/a%3Ab/jobs/j-1')).toEqual({
      value: 'DescribeJobExecution',
      params: { thingName: 'a:b', jobId: 'j-1' },
    });
  });

  it('prefers a literal segment over a label', () => {
    expect(router.match('PUT', '/thing-groups/addThingToThingGroup')?.value).toBe('AddThingToThingGroup');
    expect(router.match('GET', '/thing-groups/addThingToThingGroup')?.value).toBe('DescribeThingGroup');
  });

  it('matches nothing for another method, an empty label or a bad escape', () => {
    expect(router.match('DELETE', '/thing-groups/x')).toBeUndefined();
    expect(router.match('GET', '/things//jobs/j')).toBeUndefined();
    expect(router.match('GET', '/things/%E0%A4%A/jobs/j')).toBeUndefined();
  });
});
