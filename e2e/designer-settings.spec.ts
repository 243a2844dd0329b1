import { expect, test } from '@playwright/test';
import { addNode, connect, createWorkflow, fitView, select } from './designer-helpers';

test('per-node retry, timeout, error port and compensation settings', async ({ page }) => {
  await createWorkflow(page, `E2E settings ${Date.now()}`);
  const call = await addNode(page, 'http.request');
  const fallback = await addNode(page, 'transform');
  await fitView(page);
  await connect(page, 'trigger', 'out', call);

  await select(page, call);
  await page.getByTestId('node-tab-settings').click();
  // Not overridden: the inherited value is the placeholder, with where it comes from.
  const attempts = page.getByTestId('policy-max-attempts');
  await expect(attempts).toHaveValue('');
  await expect(attempts).toHaveAttribute('placeholder', /^\d+$/);
  await expect(page.getByTestId('policy-max-attempts-source')).toContainText('from the platform default');
  await attempts.fill('5');
  await expect(page.getByTestId('policy-max-attempts-source')).toContainText('Overrides');
  await page.getByTestId('policy-timeout').fill('2500');
  // Out of range values are flagged on the field and block publishing.
  await page.getByTestId('policy-jitter').fill('3');
  await expect(page.getByTestId('publish')).toBeDisabled();
  await page.getByTestId('policy-jitter').fill('');
  await expect(page.getByTestId('policy-jitter-source')).toContainText('Inherited');

  // Error port: not connected, then connected to the fallback.
  await expect(page.getByTestId('error-port-hint')).toHaveAttribute('data-connected', 'false');
  await connect(page, call, 'error', fallback);
  await select(page, call);
  await expect(page.getByTestId('error-port-hint')).toHaveAttribute('data-connected', 'true');
  await expect(page.getByTestId('error-port-hint')).toContainText('Transform');

  // Compensation: pick a kind and fill its form.
  await page.getByTestId('compensation-kind').selectOption('http.request');
  const form = page.getByTestId('compensation-form');
  await form.getByTestId('field-url').fill('http://127.0.0.1:9/orders/cancel');
  await form.getByTestId('field-method').selectOption('DELETE');
  await expect(page.getByTestId('problems-count')).toHaveCount(0);

  // Everything is an operation: undo walks it back.
  await page.locator('.react-flow__pane').click({ position: { x: 40, y: 300 } });
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
  await select(page, call);
  await page.getByTestId('node-tab-settings').click();
  await expect(page.getByTestId('compensation-kind')).toHaveValue('');
  await expect(page.getByTestId('policy-max-attempts')).toHaveValue('5');

  // Saved and reloaded, the overrides are still there.
  await page.getByTestId('save-draft').click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-dirty', 'false');
  await page.reload();
  await fitView(page);
  await select(page, call);
  await page.getByTestId('node-tab-settings').click();
  await expect(page.getByTestId('policy-max-attempts')).toHaveValue('5');
  await expect(page.getByTestId('policy-timeout')).toHaveValue('2500');
});
