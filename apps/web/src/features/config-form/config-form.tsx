'use client';
import { useId } from 'react';
import { describeFields, type FieldSpec, type JsonSchema } from './schema-fields';
import { JsonField, KeyValueField, NumberField, NumberListField } from './field-widgets';
import styles from './config-form.module.css';

export interface ConfigFormProps {
  schema: JsonSchema | undefined;
  value: Record<string, unknown>;
  /** Messages by top-level config key, from graph validation or the server. */
  errors: Record<string, string[]>;
  onChange: (key: string, value: unknown) => void;
  /** Renders expression fields (the designer's JSONata editor); a plain text area otherwise. */
  expressionEditor?: ((props: ExpressionFieldProps) => React.ReactNode) | undefined;
}

export interface ExpressionFieldProps {
  id: string;
  testId: string;
  fieldKey: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string | undefined;
  rows: number;
  invalid: boolean;
  describedBy: string;
}

/** A form generated from a node kind's JSON Schema; one control per top-level config property. */
export function ConfigForm({ schema, value, errors, onChange, expressionEditor }: ConfigFormProps) {
  const fields = describeFields(schema);
  if (fields.length === 0) return <p className="muted">This node has no settings.</p>;
  return (
    <div className={styles.form}>
      {fields.map((field) => (
        <Field
          key={field.key}
          field={field}
          value={value[field.key]}
          errors={errors[field.key] ?? []}
          onChange={(v) => onChange(field.key, v)}
          expressionEditor={expressionEditor}
        />
      ))}
    </div>
  );
}

function Field({
  field,
  value,
  errors,
  onChange,
  expressionEditor,
}: {
  field: FieldSpec;
  value: unknown;
  errors: string[];
  onChange: (v: unknown) => void;
  expressionEditor: ConfigFormProps['expressionEditor'];
}) {
  const id = useId();
  const invalid = errors.length > 0;
  const testId = `field-${field.key}`;
  const describedBy = `${id}-hint`;
  const common = { id, 'aria-invalid': invalid, 'aria-describedby': describedBy, 'data-testid': testId } as const;

  let control: React.ReactNode;
  switch (field.widget) {
    case 'boolean':
      return (
        <div className={styles.field}>
          <label className={styles.check}>
            <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
            <span className="label">{field.label}</span>
          </label>
          <Hints id={describedBy} field={field} errors={errors} />
        </div>
      );
    case 'select':
      control = (
        <select className="select" {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)}>
          {!field.required && <option value="">—</option>}
          {field.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'number':
      control = <NumberField {...common} field={field} value={value} onChange={onChange} />;
      break;
    case 'expression':
      control = expressionEditor ? (
        expressionEditor({
          id,
          testId,
          fieldKey: field.key,
          value: typeof value === 'string' ? value : '',
          onChange: (text) => onChange(text === '' && !field.required ? undefined : text),
          placeholder: field.defaultValue === undefined ? undefined : String(field.defaultValue),
          rows: field.key === 'expression' ? 5 : 3,
          invalid,
          describedBy,
        })
      ) : (
        <textarea
          className="textarea mono"
          {...common}
          rows={field.key === 'expression' ? 5 : 3}
          spellCheck={false}
          value={typeof value === 'string' ? value : ''}
          placeholder={field.defaultValue === undefined ? 'JSONata expression' : String(field.defaultValue)}
          onChange={(e) => onChange(e.target.value === '' && !field.required ? undefined : e.target.value)}
        />
      );
      break;
    case 'keyValue':
      control = <KeyValueField testId={testId} value={value} onChange={onChange} />;
      break;
    case 'numberList':
      control = <NumberListField {...common} value={value} onChange={onChange} />;
      break;
    case 'json':
      control = <JsonField {...common} value={value} onChange={onChange} />;
      break;
    default:
      control = (
        <input
          className="input"
          {...common}
          value={typeof value === 'string' ? value : ''}
          placeholder={field.defaultValue === undefined ? undefined : String(field.defaultValue)}
          onChange={(e) => onChange(e.target.value === '' && !field.required ? undefined : e.target.value)}
        />
      );
  }

  return (
    <div className={styles.field}>
      <label className="label" htmlFor={id}>
        {field.label}
        {field.required && <span className={styles.required}> *</span>}
      </label>
      {control}
      <Hints id={describedBy} field={field} errors={errors} />
    </div>
  );
}

function Hints({ id, field, errors }: { id: string; field: FieldSpec; errors: string[] }) {
  return (
    <div id={id}>
      {field.description && <div className="hint">{field.description}</div>}
      {errors.map((e, i) => (
        <div key={i} className="field-error" data-testid={`field-error-${field.key}`}>
          {e}
        </div>
      ))}
    </div>
  );
}
