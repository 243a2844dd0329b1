import { validateCanonical } from '@switchyard/canonical';
import { NodeExecutionError, type NodeExecutor } from '@switchyard/workflow';
import { defineExecutor } from '../define-executor';
import { evaluateExpression } from '../jsonata/evaluate';
import { evaluateNodeExpression, type ExpressionBudget } from '../kinds/expression-budget';
import { fileParse } from './kinds';
import { readCsv, readFixedWidth } from './read-lines';

export interface LineResult {
  line: number;
  ok: boolean;
  /** Why the line was refused: the field (`email`, `lines[1].debit`, or '' for the line) and the problem. */
  errors?: Array<{ path: string; message: string }>;
}

/** How many bad lines a reject-all failure spells out in its message (all are in the logged report). */
const SHOWN_IN_MESSAGE = 20;

/**
 * `file.parse`: reads every line, maps it with the record expression, validates it against the
 * canonical schema and reports each line. Valid records go on in `chunks` (a `map` node can then
 * process one chunk per item). With `rejectAll` a single bad line fails the step permanently and
 * nothing is passed on; with `partial` the good lines go on and the bad ones are in `report`.
 */
export function createFileParseExecutor(budget: ExpressionBudget): NodeExecutor {
  return defineExecutor(fileParse, async (ctx, config, input) => {
    const content = await evaluateNodeExpression(ctx, budget, 'content', config.content, input);
    if (typeof content !== 'string') {
      throw new NodeExecutionError(`file.parse content: ${JSON.stringify(config.content)} must give the file text, got ${content === undefined ? 'nothing' : typeof content}`, {
        code: 'invalid_input',
        retryable: false,
      });
    }
    const lines = config.format === 'csv' ? readCsv(content, config) : readFixedWidth(content, config);
    if (lines.length > config.maxLines) {
      throw new NodeExecutionError(`file.parse: the file has ${lines.length} lines; this node takes at most ${config.maxLines}`, { code: 'file_too_large', retryable: false });
    }
    const report: LineResult[] = [];
    const valid: unknown[] = [];
    for (const l of lines) {
      if ('error' in l) {
        report.push({ line: l.line, ok: false, errors: [{ path: '', message: l.error }] });
        continue;
      }
      let mapped: unknown;
      try {
        mapped = await evaluateExpression(config.record, l.fields, { trigger: ctx.trigger, line: l.line }, { ...budget, field: 'record' });
      } catch (err) {
        report.push({ line: l.line, ok: false, errors: [{ path: '', message: err instanceof Error ? err.message : String(err) }] });
        continue;
      }
      const checked = validateCanonical(config.object, config.version, mapped);
      if (checked.ok) {
        valid.push(checked.value);
        report.push({ line: l.line, ok: true });
      } else {
        report.push({ line: l.line, ok: false, errors: checked.errors.map((e) => ({ path: e.path, message: e.message })) });
      }
    }
    const bad = report.filter((r) => !r.ok);
    const summary = { object: config.object, version: config.version, total: report.length, valid: valid.length, invalid: bad.length };
    if (bad.length > 0 && config.onInvalid === 'rejectAll') {
      const shown = bad.slice(0, SHOWN_IN_MESSAGE).map((r) => `line ${r.line}: ${(r.errors ?? []).map((e) => (e.path ? `${e.path} ${e.message}` : e.message)).join(', ')}`);
      const more = bad.length > SHOWN_IN_MESSAGE ? `; and ${bad.length - SHOWN_IN_MESSAGE} more` : '';
      ctx.logger.warn({ ...summary, report: bad }, 'file.parse: file rejected');
      throw new NodeExecutionError(`file rejected: ${bad.length} of ${report.length} lines are invalid, nothing was processed: ${shown.join('; ')}${more}`, {
        code: 'file_rejected',
        retryable: false,
      });
    }
    const chunks: unknown[][] = [];
    for (let i = 0; i < valid.length; i += config.chunkSize) chunks.push(valid.slice(i, i + config.chunkSize));
    return { output: { ...summary, chunks, report } };
  });
}
