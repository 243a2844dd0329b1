'use client';
import { autocompletion, closeBrackets, completionKeymap, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderExt } from '@codemirror/view';
import jsonata from 'jsonata';
import { useEffect, useMemo, useRef, useState } from 'react';
import { fieldPaths, type ExpressionContext } from './expression-context';
import styles from './jsonata-editor.module.css';

/** The live preview's budget: an expression that loops must not freeze the designer. */
const PREVIEW_TIMEOUT_MS = 100;
const PREVIEW_MAX_DEPTH = 500;
const PREVIEW_DELAY_MS = 200;
const PREVIEW_MAX_CHARS = 4000;

/** JSONata's built-in functions most used in mappings, offered after `$`. */
const FUNCTIONS = [
  'sum', 'count', 'max', 'min', 'average', 'string', 'number', 'boolean', 'not', 'exists', 'length', 'substring', 'substringBefore',
  'substringAfter', 'uppercase', 'lowercase', 'trim', 'pad', 'contains', 'split', 'join', 'replace', 'match', 'now', 'millis',
  'fromMillis', 'toMillis', 'round', 'floor', 'ceil', 'abs', 'formatNumber', 'keys', 'lookup', 'merge', 'each', 'map', 'filter',
  'reduce', 'sort', 'reverse', 'distinct', 'append', 'type', 'zip', 'spread', 'single', 'shuffle', 'error', 'assert',
];

export interface JsonataEditorProps {
  id: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string | undefined;
  rows: number;
  invalid: boolean;
  describedBy: string;
  context: ExpressionContext;
}

/**
 * A JSONata field: CodeMirror 6 with completions of the fields the node will see (`$` and
 * `$trigger`, from the last test run, a pin or a trigger sample) and the expression's value on that
 * sample, evaluated live under a time budget. The designer's graph stays the source of truth: the
 * editor reports each change and takes outside changes (undo, paste of a node) back in.
 */
export function JsonataEditor(p: JsonataEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(p.onChange);
  onChange.current = p.onChange;
  const contextRef = useRef(p.context);
  contextRef.current = p.context;

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: p.value,
        extensions: [
          history(),
          closeBrackets(),
          autocompletion({ override: [(ctx) => complete(ctx, contextRef.current)], icons: false }),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
          EditorView.lineWrapping,
          placeholderExt(p.placeholder ?? 'JSONata expression'),
          EditorView.contentAttributes.of({
            id: p.id,
            'data-testid': p.testId,
            'aria-multiline': 'true',
            'aria-invalid': String(p.invalid),
            'aria-describedby': `${p.describedBy} ${p.id}-preview`,
            spellcheck: 'false',
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChange.current(update.state.doc.toString());
          }),
          EditorView.theme({ '.cm-content': { minHeight: `${p.rows * 1.45}em` } }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // Created once per field; value changes arrive through the effect below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== p.value) editor.dispatch({ changes: { from: 0, to: current.length, insert: p.value } });
  }, [p.value]);

  const preview = useLivePreview(p.value, p.context);
  return (
    <div className={styles.editor} data-invalid={p.invalid}>
      <div ref={host} className={styles.host} />
      <div id={`${p.id}-preview`} className={styles.preview} data-testid={`${p.testId}-preview`} data-state={preview.state} aria-live="polite">
        {preview.text}
      </div>
    </div>
  );
}

function complete(ctx: CompletionContext, samples: ExpressionContext): CompletionResult | null {
  const word = ctx.matchBefore(/\$?[\w`.]*/);
  if (!word || (word.from === word.to && !ctx.explicit)) return null;
  const options: Completion[] = [];
  if (word.text.startsWith('$')) {
    if (samples.trigger) {
      options.push({ label: '$trigger', type: 'variable', detail: 'trigger payload' });
      for (const f of fieldPaths(samples.trigger.value)) options.push({ label: `$trigger.${f.path}`, type: 'property', detail: f.type });
    }
    for (const name of FUNCTIONS) options.push({ label: `$${name}`, type: 'function', apply: `$${name}(` });
  } else if (samples.input) {
    for (const f of fieldPaths(samples.input.value)) options.push({ label: f.path, type: 'property', detail: f.type });
  }
  return options.length > 0 ? { from: word.from, options, validFor: /^\$?[\w`.]*$/ } : null;
}

type Preview = { state: 'empty' | 'ok' | 'error' | 'no-sample'; text: string };

function useLivePreview(expression: string, samples: ExpressionContext): Preview {
  const [preview, setPreview] = useState<Preview>({ state: 'empty', text: '' });
  const input = samples.input;
  const trigger = samples.trigger;
  const key = useMemo(() => ({ input, trigger }), [input, trigger]);
  useEffect(() => {
    if (expression.trim() === '') {
      setPreview({ state: 'empty', text: '' });
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      void evaluatePreview(expression, key.input, key.trigger).then((p) => {
        if (!cancelled) setPreview(p);
      });
    }, PREVIEW_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [expression, key]);
  return preview;
}

async function evaluatePreview(expression: string, input: ExpressionContext['input'], trigger: ExpressionContext['trigger']): Promise<Preview> {
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(expression, { timeout: PREVIEW_TIMEOUT_MS, stack: PREVIEW_MAX_DEPTH });
  } catch (error) {
    return { state: 'error', text: `Syntax error: ${describe(error)}` };
  }
  if (!input && !trigger) return { state: 'no-sample', text: 'No sample to evaluate on yet: test-run the draft, pin an upstream output or give the trigger a sample payload.' };
  try {
    const value: unknown = await compiled.evaluate(input?.value, { trigger: trigger?.value });
    const json = value === undefined ? 'nothing (no match)' : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'function' ? '(function)' : v), 2);
    const text = json.length > PREVIEW_MAX_CHARS ? `${json.slice(0, PREVIEW_MAX_CHARS)}…` : json;
    return { state: 'ok', text: `= ${text}\n(on ${input?.source ?? trigger?.source ?? ''})` };
  } catch (error) {
    return { state: 'error', text: describe(error) };
  }
}

function describe(error: unknown): string {
  const e = (error ?? {}) as { message?: string; position?: number; code?: string };
  const at = typeof e.position === 'number' ? ` (at position ${e.position})` : '';
  return `${e.message ?? String(error)}${at}`;
}
