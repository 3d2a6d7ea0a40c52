import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../../cli/args/parse.js';
import { createCommand } from '../../../cli/commands/release-create.js';
import { UsageError } from '../../../cli/errors.js';
import { buildReleaseRequest } from '../../../cli/request/release-request.js';

const build = (argv: string[], file?: Record<string, unknown>) =>
  buildReleaseRequest(file, parseCommandArgs(createCommand, argv));

const common = ['--template', 'fw-2-4', '--targets', 'doors,gates', '--waves', '1,10,50,100'];

describe('release request from flags', () => {
  it('builds percentage waves over thing groups', () => {
    expect(build(common)).toEqual({
      jobTemplateId: 'fw-2-4',
      targets: { thingGroups: ['doors', 'gates'] },
      waves: [{ percentage: 1 }, { percentage: 10 }, { percentage: 50 }, { percentage: 100 }],
    });
  });

  it('takes things, an id and a description, and percentages written with %', () => {
    expect(
      build([
        '--template',
        'fw',
        '--things',
        'lab-1,lab-2',
        '--waves',
        '50%,100%',
        '--release-id',
        'rel-1',
        '--description',
        'lab run',
      ]),
    ).toEqual({
      releaseId: 'rel-1',
      jobTemplateId: 'fw',
      description: 'lab run',
      targets: { things: ['lab-1', 'lab-2'] },
      waves: [{ percentage: 50 }, { percentage: 100 }],
    });
  });

  it('applies one policy value to every wave', () => {
    const body = build([
      ...common,
      '--failure-threshold',
      '5',
      '--success-threshold',
      '99.5',
      '--bake-minutes',
      '30',
    ]);
    expect(body.waves).toEqual(
      [1, 10, 50, 100].map((percentage) => ({
        percentage,
        failureThresholdPercent: 5,
        successThresholdPercent: 99.5,
        bakeTimeMinutes: 30,
      })),
    );
  });

  it('applies a list of policy values wave by wave', () => {
    const body = build([...common, '--bake-minutes', '60,30,10,0']);
    expect((body.waves as { bakeTimeMinutes: number }[]).map((w) => w.bakeTimeMinutes)).toEqual([
      60, 30, 10, 0,
    ]);
  });

  it('refuses a policy list whose length is not the number of waves', () => {
    expect(() => build([...common, '--bake-minutes', '60,30'])).toThrow(
      '--bake-minutes takes one value for every wave or one per wave; the release has 4 waves, --bake-minutes gives 2',
    );
  });

  it('marks the waves --approval names, and only those', () => {
    const approvals = (argv: string[]) =>
      (build([...common, ...argv]).waves as { requireApproval: boolean }[]).map((w) => w.requireApproval);
    expect(approvals(['--approval', '1,3'])).toEqual([true, false, true, false]);
    expect(approvals(['--approval', 'last'])).toEqual([false, false, false, true]);
    expect(approvals(['--approval', 'all'])).toEqual([true, true, true, true]);
    expect(() => build([...common, '--approval', '5'])).toThrow('--approval must be an integer from 1 to 4');
  });

  it('refuses malformed numbers, naming the option', () => {
    expect(() => build(['--template', 'fw', '--targets', 'g', '--waves', '1,ten,100'])).toThrow(
      "--waves must be a number from 0.01 to 100 (got 'ten')",
    );
    expect(() => build([...common, '--failure-threshold', '150'])).toThrow(
      "--failure-threshold must be a number from 0 to 100 (got '150')",
    );
  });

  it('without a file, names every missing flag', () => {
    expect(() => build(['--failure-threshold', '5'])).toThrow(UsageError);
    expect(() => build(['--template', 'fw'])).toThrow(
      'missing --waves, --targets or --things (or give the whole release with -f FILE)',
    );
  });
});

describe('release request from a file and flags', () => {
  const file = {
    releaseId: 'from-file',
    jobTemplateId: 'fw-file',
    targets: { thingGroups: ['doors'], things: ['lab-1'] },
    waves: [
      { targets: { things: ['lab-1'] }, requireApproval: true },
      { percentage: 100, bakeTimeMinutes: 5 },
    ],
  };

  it('sends the file as it is when no flag is given', () => {
    expect(build([], file)).toEqual(file);
  });

  it('lets flags win: id, template, one target list, and policy on every file wave', () => {
    expect(
      build(
        ['--release-id', 'rel-2', '--targets', 'gates', '--bake-minutes', '0', '--approval', 'none'],
        file,
      ),
    ).toEqual({
      releaseId: 'rel-2',
      jobTemplateId: 'fw-file',
      targets: { thingGroups: ['gates'], things: ['lab-1'] },
      waves: [
        { targets: { things: ['lab-1'] }, requireApproval: false, bakeTimeMinutes: 0 },
        { percentage: 100, bakeTimeMinutes: 0, requireApproval: false },
      ],
    });
  });

  it('replaces the file waves with --waves', () => {
    expect(build(['--waves', '100'], file).waves).toEqual([{ percentage: 100 }]);
  });

  it('refuses policy flags when there are no waves to apply them to', () => {
    expect(() => build(['--bake-minutes', '5'], { jobTemplateId: 'fw' })).toThrow(
      '--bake-minutes set the policy of waves: give --waves, or a file with waves',
    );
  });
});
