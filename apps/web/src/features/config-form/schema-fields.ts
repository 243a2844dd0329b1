/**
 * Turns a node kind's JSON Schema (zod 4 `toJSONSchema` output) into a flat list of form fields.
 * Pure and framework-free so the mapping rules are unit-tested; the React side only renders them.
 */
export interface JsonSchema {
  type?: string | string[];
  enum?: readonly unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  description?: string;
  title?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  /** Optional UI hints a kind may add through zod `.meta()`. */
  widget?: string;
  'x-widget'?: string;
  [key: string]: unknown;
}

export type FieldWidget = 'text' | 'expression' | 'number' | 'boolean' | 'select' | 'keyValue' | 'numberList' | 'json';

export interface FieldSpec {
  key: string;
  label: string;
  widget: FieldWidget;
  required: boolean;
  description?: string;
  options?: string[];
  integer?: boolean;
  minimum?: number;
  maximum?: number;
  defaultValue?: unknown;
}

/** Field names whose strings are JSONata/expressions even when the schema carries no hint. */
const EXPRESSION_KEYS = new Set(['expression', 'body', 'mapping', 'condition']);

export function describeFields(schema: JsonSchema | undefined): FieldSpec[] {
  const root = unwrapNullable(schema ?? {});
  const props = root.properties ?? {};
  const required = new Set(root.required ?? []);
  return Object.entries(props).map(([key, raw]) => {
    const prop = unwrapNullable(raw);
    const spec: FieldSpec = {
      key,
      label: prop.title ?? humanize(key),
      widget: widgetFor(key, prop),
      // A field with a default is filled in by the schema, so the user need not supply it.
      required: required.has(key) && prop.default === undefined,
    };
    if (prop.description) spec.description = prop.description;
    if (prop.default !== undefined) spec.defaultValue = prop.default;
    if (spec.widget === 'select') spec.options = (prop.enum ?? []).map(String);
    if (spec.widget === 'number') {
      spec.integer = typeOf(prop) === 'integer';
      if (typeof prop.minimum === 'number') spec.minimum = prop.minimum;
      if (typeof prop.maximum === 'number') spec.maximum = prop.maximum;
    }
    return spec;
  });
}

function widgetFor(key: string, prop: JsonSchema): FieldWidget {
  const hint = prop.widget ?? prop['x-widget'];
  if (hint === 'expression' || prop.format === 'jsonata' || prop.format === 'expression') return 'expression';
  if (Array.isArray(prop.enum) && prop.enum.length > 0) return 'select';
  const type = typeOf(prop);
  switch (type) {
    case 'string':
      if (EXPRESSION_KEYS.has(key) || /jsonata/i.test(prop.description ?? '')) return 'expression';
      return 'text';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return isStringMap(prop) ? 'keyValue' : 'json';
    case 'array': {
      const item = prop.items ? typeOf(unwrapNullable(prop.items)) : undefined;
      return item === 'number' || item === 'integer' ? 'numberList' : 'json';
    }
    default:
      return 'json';
  }
}

function isStringMap(prop: JsonSchema): boolean {
  const extra = prop.additionalProperties;
  const noFixed = !prop.properties || Object.keys(prop.properties).length === 0;
  return noFixed && typeof extra === 'object' && typeOf(unwrapNullable(extra)) === 'string';
}

function typeOf(prop: JsonSchema): string | undefined {
  if (Array.isArray(prop.type)) return prop.type.find((t) => t !== 'null');
  if (typeof prop.type === 'string') return prop.type;
  if (prop.properties) return 'object';
  return undefined;
}

/** `x | null` and single-member unions collapse to their one real member. */
function unwrapNullable(schema: JsonSchema): JsonSchema {
  const union = schema.anyOf ?? schema.oneOf;
  if (!union) return schema;
  const real = union.filter((s) => s.type !== 'null');
  if (real.length !== 1 || !real[0]) return schema;
  const { anyOf: _a, oneOf: _o, ...rest } = schema;
  return { ...rest, ...real[0] };
}

export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .replace(/\b(url|http|id|json)\b/g, (w) => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}
