import { describe, expect, it } from 'vitest';
import { describeFields, humanize } from './schema-fields';

describe('describeFields', () => {
  it('maps JSON Schema types to widgets', () => {
    const fields = describeFields({
      type: 'object',
      properties: {
        method: { type: 'string', enum: ['GET', 'POST'], default: 'POST' },
        url: { type: 'string', minLength: 1 },
        headers: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } },
        body: { type: 'string' },
        retries: { type: 'integer', minimum: 0, maximum: 5 },
        ratio: { type: 'number' },
        synchronous: { type: 'boolean', default: false },
        successStatuses: { type: 'array', items: { type: 'integer' } },
        samplePayload: {},
        mapping: { type: 'string', description: 'A JSONata expression' },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
      required: ['method', 'url', 'synchronous'],
    });
    const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));
    expect(byKey.method).toMatchObject({ widget: 'select', options: ['GET', 'POST'], required: false, defaultValue: 'POST' });
    expect(byKey.url).toMatchObject({ widget: 'text', required: true, label: 'URL' });
    expect(byKey.headers?.widget).toBe('keyValue');
    expect(byKey.body?.widget).toBe('expression');
    expect(byKey.retries).toMatchObject({ widget: 'number', integer: true, minimum: 0, maximum: 5 });
    expect(byKey.ratio).toMatchObject({ widget: 'number', integer: false });
    expect(byKey.synchronous).toMatchObject({ widget: 'boolean', required: false });
    expect(byKey.successStatuses?.widget).toBe('numberList');
    expect(byKey.samplePayload?.widget).toBe('json');
    expect(byKey.mapping?.widget).toBe('expression');
    expect(byKey.note?.widget).toBe('text');
  });

  it('honours an explicit expression hint and tolerates a missing schema', () => {
    expect(describeFields({ properties: { q: { type: 'string', format: 'jsonata' } } })[0]?.widget).toBe('expression');
    expect(describeFields(undefined)).toEqual([]);
  });

  it('humanizes keys', () => {
    expect(humanize('responseTimeoutMs')).toBe('Response timeout ms');
    expect(humanize('idempotencyKeyPath')).toBe('Idempotency key path');
  });
});
