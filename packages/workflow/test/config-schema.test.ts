import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinNodeKinds, configJsonSchema, coreNodeKinds, coreRegistry, defineNodeKind, listNodeKinds, type NodeKindDefinition } from '../src';

type ObjectSchema = { type: string; properties: Record<string, Record<string, unknown>>; required?: string[] };

const expected: Record<string, { properties: string[]; required: string[] }> = {
  'trigger.manual': { properties: ['samplePayload', 'businessKeyPaths'], required: [] },
  'trigger.webhook': { properties: ['path', 'synchronous', 'idempotencyKeyPath', 'businessKeyPaths', 'responseTimeoutMs', 'contract'], required: ['path'] },
  'http.request': { properties: ['method', 'url', 'headers', 'body', 'successStatuses'], required: ['url'] },
  transform: { properties: ['expression'], required: ['expression'] },
  condition: { properties: ['expression'], required: ['expression'] },
  respond: { properties: ['status', 'body', 'headers'], required: [] },
  delay: { properties: ['durationMs'], required: ['durationMs'] },
};

describe('configJsonSchema', () => {
  it('covers every core kind', () => {
    expect(Object.keys(expected).sort()).toEqual(coreNodeKinds.map((k) => k.kind).sort());
  });

  it.each(coreNodeKinds.map((k) => [k.kind, k] as const))('%s: an object schema with the config fields', (kind, def) => {
    const schema = configJsonSchema(def as unknown as NodeKindDefinition<unknown>) as ObjectSchema;
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(expected[kind]!.properties);
    // Fields with defaults are optional in the form: parsing fills them in.
    expect(schema.required ?? []).toEqual(expected[kind]!.required);
    // Every field has a title for the form label.
    for (const property of Object.values(schema.properties)) expect(typeof property.title).toBe('string');
    // The default config satisfies the required list, so a new node starts with a complete form.
    for (const field of schema.required ?? []) expect(def.defaultConfig).toHaveProperty(field);
    expect(def.configSchema.safeParse(def.defaultConfig).success).toBe(true);
  });

  it('carries constraints, enums and defaults the form can use', () => {
    const webhook = configJsonSchema(coreRegistry.get('trigger.webhook')!) as ObjectSchema;
    expect(webhook.properties.path).toMatchObject({ type: 'string', minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9-_/]*$' });
    expect(webhook.properties.responseTimeoutMs).toMatchObject({ type: 'integer', minimum: 100, maximum: 60_000, default: 10_000 });
    const http = configJsonSchema(coreRegistry.get('http.request')!) as ObjectSchema;
    expect(http.properties.method).toMatchObject({ enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], default: 'POST' });
    expect(http.properties.headers).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
  });

  it('does not throw on types JSON Schema cannot express', () => {
    const odd = defineNodeKind<{ when: Date }>()({
      kind: 'odd',
      version: 1,
      category: 'system',
      displayName: 'Odd',
      description: 'Has a Date field.',
      icon: 'x',
      configSchema: z.object({ when: z.date() }),
      defaultConfig: { when: new Date(0) },
      isTrigger: false,
      outputs: ['out'],
    });
    const schema = configJsonSchema(odd as unknown as NodeKindDefinition<unknown>) as ObjectSchema;
    expect(schema.properties.when).toEqual({});
  });
});

describe('listNodeKinds', () => {
  it('lists every core kind with browser-friendly metadata', () => {
    const kinds = listNodeKinds();
    expect(kinds.map((k) => k.kind)).toEqual(builtinNodeKinds.map((k) => k.kind));
    expect(kinds.slice(0, coreNodeKinds.length).map((k) => k.kind)).toEqual(coreNodeKinds.map((k) => k.kind));
    // Plain JSON: it crosses tRPC and server/client component boundaries.
    expect(JSON.parse(JSON.stringify(kinds))).toEqual(kinds);
    expect(kinds.find((k) => k.kind === 'condition')).toMatchObject({
      version: 1,
      category: 'logic',
      displayName: 'Condition',
      icon: 'split',
      isTrigger: false,
      outputs: ['true', 'false', 'error'],
      dynamicOutputs: false,
      defaultConfig: { expression: 'true' },
      jsonSchema: { type: 'object', required: ['expression'] },
    });
    expect(kinds.filter((k) => k.isTrigger).map((k) => k.kind)).toEqual(['trigger.manual', 'trigger.webhook']);
  });

  it('hands out copies of default configs', () => {
    const [first] = listNodeKinds().filter((k) => k.kind === 'http.request');
    (first!.defaultConfig as { url: string }).url = 'changed';
    expect((coreRegistry.get('http.request')!.defaultConfig as { url: string }).url).not.toBe('changed');
  });

  it('reports dynamic outputs for the default config', () => {
    const switchKind = defineNodeKind<{ cases: string[] }>()({
      kind: 'switch',
      version: 2,
      category: 'logic',
      displayName: 'Switch',
      description: 'Routes by case.',
      icon: 'split',
      configSchema: z.object({ cases: z.array(z.string()) }),
      defaultConfig: { cases: ['a', 'b'] },
      isTrigger: false,
      outputs: (config) => [...config.cases, 'default'],
    });
    const [meta] = listNodeKinds(new Map([['switch', switchKind as unknown as NodeKindDefinition<unknown>]]));
    expect(meta).toMatchObject({ kind: 'switch', version: 2, outputs: ['a', 'b', 'default'], dynamicOutputs: true });
  });
});
