import { describe, expect, it } from 'vitest';
import { NodeExecutionError } from '@switchyard/workflow';
import { compileExpression, createCoreExecutors, evaluateExpression } from '../src/index';
import { makeCtx } from './helpers';

const executors = createCoreExecutors();
const budget = { timeoutMs: 1000, maxDepth: 2000, field: 'expression' };

async function nodeError(promise: Promise<unknown>): Promise<NodeExecutionError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NodeExecutionError);
  return err as NodeExecutionError;
}

describe('transform', () => {
  it('maps the input with JSONata, with $trigger bound to the run trigger', async () => {
    const result = await executors.transform(
      makeCtx(),
      { expression: '{ "invoice": $trigger.invoice.number, "lines": items.{ "sku": sku, "net": qty * price } }' },
      { items: [{ sku: 'A', qty: 2, price: 5 }, { sku: 'B', qty: 1, price: 7 }] },
    );
    expect(result).toEqual({
      output: { invoice: 'INV-7', lines: [{ sku: 'A', net: 10 }, { sku: 'B', net: 7 }] },
    });
  });

  it('outputs null when the expression matches nothing', async () => {
    expect(await executors.transform(makeCtx(), { expression: 'missing.field' }, { a: 1 })).toEqual({ output: null });
  });

  it('reports a syntax error with the field and the position', async () => {
    const err = await nodeError(executors.transform(makeCtx(), { expression: '{ "total": amount + }' }, {}));
    expect(err).toMatchObject({ code: 'expression_error', retryable: false });
    expect(err.message).toMatch(/^expression: .+ \[S0\d{3}\] at position \d+/);
  });

  it('reports a runtime type error as a permanent expression_error', async () => {
    const err = await nodeError(executors.transform(makeCtx(), { expression: 'name + 1' }, { name: 'x' }));
    expect(err).toMatchObject({ code: 'expression_error', retryable: false });
    expect(err.message).toContain('[T2001] at position');
  });

  it('refuses an expression that returns a function', async () => {
    const err = await nodeError(executors.transform(makeCtx(), { expression: 'function($x){ $x }' }, {}));
    expect(err.message).toBe('expression: the expression returned a function, not data');
  });

  it('rejects an invalid config naming the field', async () => {
    const err = await nodeError(executors.transform(makeCtx(), { expression: '' }, {}));
    expect(err).toMatchObject({ code: 'invalid_config', retryable: false });
    expect(err.message).toBe('transform config is invalid: expression: must not be empty');
  });
});

describe('condition', () => {
  it('leaves by true or false and passes the input through', async () => {
    const input = { total: 120, currency: 'EUR' };
    const yes = await executors.condition(makeCtx(), { expression: 'total > 100 and $trigger.invoice.number = "INV-7"' }, input);
    expect(yes).toEqual({ output: input, port: 'true' });
    const no = await executors.condition(makeCtx(), { expression: 'currency = "USD"' }, input);
    expect(no).toEqual({ output: input, port: 'false' });
  });

  it.each([
    ['lines', { lines: [] }, 'false'],
    ['lines', { lines: [0, ''] }, 'false'],
    ['lines', { lines: [0, 3] }, 'true'],
    ['meta', { meta: {} }, 'false'],
    ['name', { name: '' }, 'false'],
    ['count', { count: 0 }, 'false'],
    ['nothing', {}, 'false'],
    ['name', { name: 'x' }, 'true'],
  ])('uses JSONata truthiness for %s in %j', async (expression, input, port) => {
    expect((await executors.condition(makeCtx(), { expression }, input)).port).toBe(port);
  });
});

describe('respond', () => {
  it('builds the response from a body expression and returns it as output and response', async () => {
    const result = await executors.respond(
      makeCtx(),
      { status: 201, headers: { 'X-Invoice': 'created' }, body: '{ "id": id, "for": $trigger.invoice.number }' },
      { id: 'erp-55' },
    );
    const response = { status: 201, headers: { 'X-Invoice': 'created' }, body: { id: 'erp-55', for: 'INV-7' } };
    expect(result).toEqual({ output: response, response });
  });

  it('defaults to status 200 and the input as body', async () => {
    const result = await executors.respond(makeCtx(), {}, { ok: true });
    expect(result.response).toEqual({ status: 200, headers: {}, body: { ok: true } });
  });

  it('treats an emptied body field as "respond with the input"', async () => {
    const result = await executors.respond(makeCtx(), { body: '  ' }, { ok: 1 });
    expect(result.response?.body).toEqual({ ok: 1 });
  });

  it('names the body field on a syntax error', async () => {
    const err = await nodeError(executors.respond(makeCtx(), { body: '$.x[' }, {}));
    expect(err.code).toBe('expression_error');
    expect(err.message).toMatch(/^body: .+ at position \d+/);
  });
});

describe('expression budget', () => {
  it('stops infinite tail recursion at the time budget', async () => {
    const limited = createCoreExecutors({ jsonataTimeoutMs: 150 });
    const started = Date.now();
    const err = await nodeError(limited.transform(makeCtx(), { expression: '( $f := function($x){ $f($x) }; $f(1) )' }, {}));
    const elapsed = Date.now() - started;
    expect(err).toMatchObject({ code: 'expression_timeout', retryable: false });
    expect(err.message).toMatch(/^expression: the expression ran longer than its 150 ms budget/);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1500);
  });

  it('stops runaway non-tail recursion at the depth budget', async () => {
    const started = Date.now();
    const err = await nodeError(
      executors.transform(makeCtx(), { expression: '( $f := function($x){ 1 + $f($x) }; $f(1) )' }, {}),
    );
    expect(err.code).toBe('expression_timeout');
    expect(err.message).toContain('exceeded the evaluation depth limit of 2000');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops a huge loop at the time budget', async () => {
    const limited = createCoreExecutors({ jsonataTimeoutMs: 200 });
    const started = Date.now();
    const err = await nodeError(limited.condition(makeCtx(), { expression: '$sum([1..10000000].($ * 2)) > 0' }, {}));
    expect(err.code).toBe('expression_timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('allows legitimate recursion within the depth budget', async () => {
    const result = await executors.transform(
      makeCtx(),
      { expression: '( $fact := function($n){ $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(20) )' },
      {},
    );
    expect(result.output).toBe(2432902008176640000);
  });

  it('gives every evaluation of a cached expression its own clock', async () => {
    const options = { ...budget, timeoutMs: 100 };
    const expression = '$count([1..2000].($ * 2))';
    expect(await evaluateExpression(expression, {}, {}, options)).toBe(2000);
    // Long after the first evaluation started: a clock captured at compile time would now be expired.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await evaluateExpression(expression, {}, {}, options)).toBe(2000);
  });

  it('caches compiled expressions per budget', () => {
    const a = compileExpression('a.b', budget);
    expect(compileExpression('a.b', budget)).toBe(a);
    expect(compileExpression('a.b', { ...budget, timeoutMs: 5 })).not.toBe(a);
  });

  it('evaluates a cached expression concurrently with different inputs', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => evaluateExpression('{ "n": n, "t": $trigger }', { n }, { trigger: n * 10 }, budget)),
    );
    expect(results).toEqual([1, 2, 3, 4].map((n) => ({ n, t: n * 10 })));
  });
});

describe('expression results', () => {
  it('drops lambdas nested in the result and keeps the data', async () => {
    const result = await evaluateExpression('{ "a": 1, "f": function($x){ $x }, "list": [1, $uppercase] }', {}, {}, budget);
    expect(result).toEqual({ a: 1, list: [1, null] });
  });
});
