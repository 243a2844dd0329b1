import { describe, expect, it } from 'vitest';
import { errorCode, fieldErrorsOf, fieldMessage, graphIssuesOf } from './errors';

describe('tRPC error helpers', () => {
  const error = Object.assign(new Error('bad'), {
    data: { code: 'CONFLICT', graphIssues: [{ path: '', code: 'no_trigger', message: 'no trigger' }], fieldErrors: { name: ['must not be empty'], other: [] } },
  });

  it('reads structured data from a tRPC error and tolerates anything else', () => {
    expect(errorCode(error)).toBe('CONFLICT');
    expect(graphIssuesOf(error)).toHaveLength(1);
    expect(fieldErrorsOf(error)).toEqual({ name: ['must not be empty'] });
    expect(graphIssuesOf('nope')).toEqual([]);
    expect(fieldErrorsOf(null)).toEqual({});
  });

  it('words field messages as sentences', () => {
    expect(fieldMessage('Name', ['must not be empty'])).toBe('Name must not be empty');
    expect(fieldMessage('Name', ['a workflow named "X" already exists in this tenant'])).toBe('A workflow named "X" already exists in this tenant');
  });
});
