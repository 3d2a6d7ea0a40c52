/**
 * The event pattern matcher against the examples of the EventBridge user
 * guide ("Creating event patterns", "Content filtering", "Matching null
 * values and empty strings", "Arrays in event patterns") and the matcher's
 * documented edge cases.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.js';
import {
  compileEventPattern,
  matchesEventPattern,
  parseEventPattern,
} from '../../../local/eventbridge/event-pattern.js';

/** The EC2 state-change example event of the EventBridge user guide, with the content-filtering fields. */
const ec2Event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
    FileName: 'photo.PNG',
  },
};

const matches = (pattern: unknown, event: unknown = ec2Event) => matchesEventPattern(pattern, event);

describe('exact values and structure', () => {
  it('matches when every named field holds one of the listed values', () => {
    expect(
      matches({
        source: ['aws.ec2'],
        'detail-type': ['EC2 Instance State-change Notification'],
        detail: { state: ['initializing', 'running'] },
      }),
    ).toBe(true);
  });

  it('does not match when one named field holds another value', () => {
    expect(matches({ source: ['aws.ec2'], detail: { state: ['terminated'] } })).toBe(false);
  });

  it('is case sensitive for exact strings', () => {
    expect(matches({ source: ['AWS.EC2'] })).toBe(false);
  });

  it('matches numbers numerically and never a string that spells the number', () => {
    expect(matches({ detail: { 'c-count': [5.0] } })).toBe(true);
    expect(matches({ detail: { 'c-count': ['5'] } })).toBe(false);
  });

  it('matches booleans only as booleans', () => {
    const event = { detail: { enabled: true } };
    expect(matches({ detail: { enabled: [true] } }, event)).toBe(true);
    expect(matches({ detail: { enabled: ['true'] } }, event)).toBe(false);
  });

  it('does not match a field that is missing from the event', () => {
    expect(matches({ detail: { missing: ['running'] } })).toBe(false);
  });

  it('does not match a leaf pattern against an object value', () => {
    expect(matches({ detail: ['running'] })).toBe(false);
  });
});

describe('null and empty strings', () => {
  const event = { detail: { eventVersion: '', responseElements: null } };

  it('matches an empty string with [""]', () => {
    expect(matches({ detail: { eventVersion: [''] } }, event)).toBe(true);
  });

  it('matches null with [null]', () => {
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
  });

  it('never confuses null with the empty string', () => {
    expect(matches({ detail: { responseElements: [''] } }, event)).toBe(false);
    expect(matches({ detail: { eventVersion: [null] } }, event)).toBe(false);
  });

  it('does not match [null] against a missing field', () => {
    expect(matches({ detail: { absent: [null] } }, event)).toBe(false);
  });
});

describe('arrays in events', () => {
  it('matches when the event array and the pattern array intersect', () => {
    const event = { resources: ['arn:1', 'arn:2', 'arn:3'] };
    expect(matches({ resources: ['arn:3', 'arn:9'] }, event)).toBe(true);
    expect(matches({ resources: ['arn:9'] }, event)).toBe(false);
  });

  it('crushes arrays of objects so a field holds the values of every element', () => {
    const event = { employees: [{ firstName: 'John' }, { firstName: 'Anna' }, { firstName: 'Peter' }] };
    expect(matches({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
  });

  it('flattens nested arrays', () => {
    const event = { employees: [[{ firstName: 'John' }, { firstName: 'Anna' }], [{ firstName: 'Peter' }]] };
    expect(matches({ employees: { firstName: ['Peter'] } }, event)).toBe(true);
  });

  it('never combines fields from different elements of the same array', () => {
    const event = {
      employees: [
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
  });
});

describe('prefix, suffix and equals-ignore-case', () => {
  it('matches a prefix of a string value', () => {
    expect(matches({ time: [{ prefix: '2017-10-02' }] })).toBe(true);
    expect(matches({ time: [{ prefix: '2017-10-03' }] })).toBe(false);
  });

  it('matches a prefix ignoring case', () => {
    expect(matches({ source: [{ prefix: { 'equals-ignore-case': 'AWS.E' } }] })).toBe(true);
  });

  it('matches a suffix of a string value', () => {
    expect(matches({ detail: { FileName: [{ suffix: '.PNG' }] } })).toBe(true);
    expect(matches({ detail: { FileName: [{ suffix: '.png' }] } })).toBe(false);
  });

  it('matches a suffix ignoring case', () => {
    expect(matches({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } })).toBe(true);
  });

  it('matches a whole string ignoring case', () => {
    expect(matches({ source: [{ 'equals-ignore-case': 'AWS.EC2' }] })).toBe(true);
  });

  it('never matches a number with a string operator', () => {
    expect(matches({ detail: { 'c-count': [{ prefix: '5' }] } })).toBe(false);
  });
});

describe('wildcard', () => {
  it('matches zero or more characters for each asterisk', () => {
    expect(matches({ detail: { 'instance-id': [{ wildcard: 'i-*aaaa*' }] } })).toBe(true);
    expect(matches({ detail: { 'instance-id': [{ wildcard: 'i-000000aaaaaa00000*' }] } })).toBe(true);
    expect(matches({ detail: { 'instance-id': [{ wildcard: 'i-*b*' }] } })).toBe(false);
  });

  it('matches a literal asterisk written as \\*', () => {
    const event = { detail: { path: 'a*b' } };
    expect(matches({ detail: { path: [{ wildcard: 'a\\*b' }] } }, event)).toBe(true);
    expect(matches({ detail: { path: [{ wildcard: 'a\\*b' }] } }, { detail: { path: 'axb' } })).toBe(false);
  });

  it('treats regular-expression characters literally', () => {
    expect(matches({ detail: { v: [{ wildcard: 'a.c' }] } }, { detail: { v: 'abc' } })).toBe(false);
  });
});

describe('anything-but', () => {
  it('matches any value except a string', () => {
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } })).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': 'running' }] } })).toBe(false);
  });

  it('matches any value except a number', () => {
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } })).toBe(true);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 301.8 }] } })).toBe(false);
  });

  it('matches any value outside a list', () => {
    expect(matches({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } })).toBe(true);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 301.8] }] } })).toBe(false);
  });

  it('matches any value that does not start with a prefix', () => {
    expect(matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } })).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': { prefix: 'run' } }] } })).toBe(false);
  });

  it('matches any value that does not end with a suffix', () => {
    expect(matches({ detail: { FileName: [{ 'anything-but': { suffix: '.PNG' } }] } })).toBe(false);
    expect(matches({ detail: { FileName: [{ 'anything-but': { suffix: '.jpg' } }] } })).toBe(true);
  });

  it('excludes values ignoring case', () => {
    expect(matches({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['RUNNING'] } }] } })).toBe(
      false,
    );
  });

  it('excludes values matching a wildcard', () => {
    expect(matches({ detail: { FileName: [{ 'anything-but': { wildcard: '*.PNG' } }] } })).toBe(false);
  });

  it('needs the field to be present', () => {
    expect(matches({ detail: { absent: [{ 'anything-but': 'x' }] } })).toBe(false);
  });

  it('matches an event array when any element is not excluded', () => {
    const event = { detail: { states: ['running', 'stopped'] } };
    expect(matches({ detail: { states: [{ 'anything-but': 'running' }] } }, event)).toBe(true);
    expect(matches({ detail: { states: [{ 'anything-but': ['running', 'stopped'] }] } }, event)).toBe(false);
  });
});

describe('numeric', () => {
  it('matches a value inside a closed-open range', () => {
    expect(
      matches({
        detail: {
          'c-count': [{ numeric: ['>', 0, '<=', 5] }],
          'd-count': [{ numeric: ['<', 10] }],
          'x-limit': [{ numeric: ['=', 3.018e2] }],
        },
      }),
    ).toBe(true);
  });

  it('respects open and closed bounds', () => {
    expect(matches({ detail: { 'c-count': [{ numeric: ['>', 5] }] } })).toBe(false);
    expect(matches({ detail: { 'c-count': [{ numeric: ['>=', 5] }] } })).toBe(true);
    expect(matches({ detail: { 'c-count': [{ numeric: ['<', 5] }] } })).toBe(false);
  });

  it('only matches JSON numbers', () => {
    expect(matches({ detail: { v: [{ numeric: ['>', 0] }] } }, { detail: { v: '5' } })).toBe(false);
  });
});

describe('exists', () => {
  it('matches a present field with exists true', () => {
    expect(matches({ detail: { 'c-count': [{ exists: true }] } })).toBe(true);
  });

  it('matches a missing field with exists false', () => {
    expect(matches({ detail: { 'e-count': [{ exists: false }] } })).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: false }] } })).toBe(false);
  });

  it('treats null as a present value', () => {
    expect(matches({ detail: { v: [{ exists: true }] } }, { detail: { v: null } })).toBe(true);
  });

  it('only sees leaf nodes: a field holding an object does not exist', () => {
    const event = { detail: { 'c-count': { c1: 100 } } };
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, event)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
  });

  it('treats an empty array as absent', () => {
    const event = { resources: [] };
    expect(matches({ resources: [{ exists: false }] }, event)).toBe(true);
    expect(matches({ resources: [{ exists: true }] }, event)).toBe(false);
  });

  it('matches exists false below an object the event lacks', () => {
    expect(matches({ extra: { deeper: [{ exists: false }] } })).toBe(true);
  });
});

describe('cidr', () => {
  it('matches an IPv4 address inside the block', () => {
    expect(matches({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } })).toBe(true);
    expect(matches({ detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } })).toBe(false);
  });
});

describe('$or', () => {
  it('matches when any alternative matches, ANDed with the other fields', () => {
    const pattern = {
      source: ['aws.ec2'],
      $or: [{ detail: { state: ['stopped'] } }, { detail: { 'c-count': [{ numeric: ['>', 4] }] } }],
    };
    expect(matches(pattern)).toBe(true);
    expect(matches({ ...pattern, source: ['aws.s3'] })).toBe(false);
  });

  it('does not match when no alternative matches', () => {
    expect(matches({ $or: [{ source: ['aws.s3'] }, { detail: { state: ['stopped'] } }] })).toBe(false);
  });

  it('works nested inside an object', () => {
    const pattern = { detail: { $or: [{ state: ['stopped'] }, { 'instance-id': [{ prefix: 'i-' }] }] } };
    expect(matches(pattern)).toBe(true);
  });

  it('is an ordinary field name unless it holds two or more objects', () => {
    expect(matches({ $or: ['a'] }, { $or: 'a' })).toBe(true);
    expect(matches({ $or: { x: ['1'] } }, { $or: { x: '1' } })).toBe(true);
  });
});

describe('pattern validation', () => {
  const invalid: [string, unknown][] = [
    ['a pattern that is not an object', ['source']],
    ['an empty pattern', {}],
    ['a match value that is not an array', { source: 'aws.ec2' }],
    ['an empty match array', { source: [] }],
    ['an unknown operator', { source: [{ contains: 'ec2' }] }],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['exists with a non-boolean', { source: [{ exists: 'yes' }] }],
    ['a numeric range with two lower bounds', { n: [{ numeric: ['>', 1, '>=', 2] }] }],
    ['a numeric range whose bottom is above its top', { n: [{ numeric: ['>', 5, '<', 1] }] }],
    ['an unknown numeric operator', { n: [{ numeric: ['!=', 1] }] }],
    ['anything-but with mixed types', { s: [{ 'anything-but': ['a', 1] }] }],
    ['consecutive wildcards', { s: [{ wildcard: 'a**b' }] }],
    ['a bad wildcard escape', { s: [{ wildcard: 'a\\b' }] }],
    ['a malformed cidr', { s: [{ cidr: '10.0.0.0/33' }] }],
  ];

  it.each(invalid)('refuses %s', (_name, pattern) => {
    expect(() => compileEventPattern(pattern)).toThrow(ValidationError);
    expect(() => compileEventPattern(pattern)).toThrow(/^Event pattern is not valid\. Reason: /);
  });

  it('parses pattern JSON text and refuses text that is not JSON', () => {
    expect(parseEventPattern('{"source":["aws.ec2"]}').matches(ec2Event)).toBe(true);
    expect(() => parseEventPattern('{source:')).toThrow(/Filter is not valid JSON/);
  });

  it('never matches an event that is not an object', () => {
    expect(compileEventPattern({ source: ['x'] }).matches('x')).toBe(false);
  });
});
