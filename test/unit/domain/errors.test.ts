import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toFieldProblems, ValidationError } from '../../../lib/domain/errors.js';

const schema = z.object({ waves: z.array(z.object({ percent: z.number().max(100) })), name: z.string() });

describe('ValidationError.fromZod', () => {
  it('names every refused field by its dotted path, in the order zod reports them', () => {
    const parsed = schema.safeParse({ waves: [{ percent: 10 }, { percent: 150 }], name: 7 });
    if (parsed.success) throw new Error('the input should be refused');
    const error = ValidationError.fromZod('The request is invalid.', parsed.error);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('The request is invalid.');
    expect(error.details.map((d) => d.path)).toEqual(['waves.1.percent', 'name']);
    expect(error.details).toEqual(toFieldProblems(parsed.error));
  });

  it('gives a problem with the whole input the empty path', () => {
    const parsed = schema.safeParse('not an object');
    if (parsed.success) throw new Error('the input should be refused');
    expect(toFieldProblems(parsed.error)).toEqual([{ path: '', message: expect.any(String) }]);
  });
});
