import { test } from '@playwright/test';
import { ERPS, expect, shot } from './onboarding-helpers';

/**
 * Onboarding many tenants from a file, editing a live tenant with the wizard's own forms, and the
 * wizard's bad-input answers (unreachable ERP, abandoning) — through the UI only, against the
 * simulators the embedded product starts.
 */
test.describe.configure({ mode: 'serial' });

const netsuite = ERPS.find((e) => e.id === 'netsuite')!;
const bc = ERPS.find((e) => e.id === 'business-central')!;
const suffix = Date.now().toString(36);
const imported = `imp-ns-${suffix}`;

test('imports tenants from a CSV: a check first, then each valid row goes live with its test event', async ({ page }) => {
  test.setTimeout(120_000);
  const ns = netsuite.credentials;
  const csv = [
    'name,slug,region,timeZone,baseCurrency,erp,connections.erp.credentials.consumerKey,connections.erp.credentials.consumerSecret,connections.erp.credentials.tokenId,connections.erp.credentials.tokenSecret,connections.erp.credentials.clientId,connections.erp.credentials.clientSecret',
    `Imported NetSuite ${suffix},${imported},us,America/New_York,USD,netsuite,${ns.consumerKey},${ns.consumerSecret},${ns.tokenId},${ns.tokenSecret},,`,
    `Duplicate Acme,acme,eu,Europe/Berlin,EUR,netsuite,${ns.consumerKey},${ns.consumerSecret},${ns.tokenId},${ns.tokenSecret},,`,
    `Wrong BC ${suffix},imp-bc-${suffix},eu,Europe/Berlin,EUR,business-central,,,,,${bc.credentials.clientId},not-the-secret`,
  ].join('\n');
  await page.goto('/onboarding');
  await page.getByTestId('import-tenants-link').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'tenants.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-summary')).toContainText('3 tenants: 1 ready to import, 2 with problems', { timeout: 30_000 });
  await expect(page.getByTestId('import-row-1')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('import-row-2')).toContainText('is already used by the tenant');
  await expect(page.getByTestId('import-row-2')).toContainText('Profile');
  await expect(page.getByTestId('import-row-3')).toContainText('refused the credentials');
  await expect(page.getByTestId('import-row-3')).toContainText('Systems');
  await shot(page, 'docs/screenshots/onboarding-import-check.png');

  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('import-summary')).toContainText('3 tenants: 1 live, 2 with problems', { timeout: 60_000 });
  await expect(page.getByTestId('import-row-1')).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('import-row-1').getByTestId('import-test-event')).toContainText('Test event succeeded');
  await expect(page.getByTestId('import-row-1').getByTestId('import-secret')).toContainText('whsec_');
  await expect(page.getByTestId('import-row-3')).toHaveAttribute('data-status', 'rejected');
  await shot(page, 'docs/screenshots/onboarding-import-done.png');
  // The rejected row left nothing behind.
  await page.goto(`/tenants/imp-bc-${suffix}`);
  await expect(page.locator('.banner-error')).toContainText(/There is no tenant|does not exist/, { timeout: 30_000 });
});

test('edits a live tenant with the wizard forms: credentials, lookup tables and workflow variables', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/tenants/${imported}`);
  await expect(page.getByTestId('overview-connections')).toContainText('connected', { timeout: 30_000 });

  // Connections: a wrong replacement secret is refused in words, at the connection; the stored one is never shown.
  await page.getByTestId('edit-systems').click();
  const editor = page.getByTestId('tenant-editor');
  await expect(editor.getByTestId('erp-cred-tokenSecret')).toHaveAttribute('placeholder', /saved \(type to replace\)/);
  await expect(editor.getByTestId('erp-cred-tokenSecret')).toHaveValue('');
  await editor.getByTestId('erp-cred-tokenSecret').fill('not-the-secret');
  await editor.getByTestId('wizard-next').click();
  await expect(editor.getByTestId('erp-test-result')).toContainText('refused the credentials', { timeout: 30_000 });
  await shot(page, 'docs/screenshots/onboarding-edit-connections.png');
  await editor.getByTestId('erp-cred-tokenSecret').fill(netsuite.credentials.tokenSecret);
  await editor.getByTestId('erp-name').fill('NetSuite production');
  await editor.getByTestId('wizard-next').click();
  await expect(page.getByTestId('edit-applied')).toContainText('Connections: 1 updated', { timeout: 30_000 });
  await expect(page.getByTestId('edit-applied-deployments')).toContainText('new version published');
  await page.getByTestId('edit-done').click();
  await expect(page.getByTestId('overview-connections')).toContainText('NetSuite production');
  await expect(page.getByTestId('overview-connections')).toContainText('connected');

  // Lookup tables: unmapping a code the active invoice sync needs is refused at that code.
  await page.getByTestId('edit-mappings').click();
  await editor.getByTestId('lookup-taxCodes-US-CA').selectOption('__unmapped__');
  await editor.getByTestId('wizard-next').click();
  await expect(editor.getByTestId('lookup-taxCodes')).toContainText('needs code US-CA in Tax codes', { timeout: 30_000 });
  await shot(page, 'docs/screenshots/onboarding-edit-lookups.png');
  await editor.getByTestId('wizard-back').click();
  await expect(editor).toHaveCount(0);

  // Workflows: a variable changed publishes a new version on the new path.
  await page.getByTestId('edit-workflows').click();
  await editor.getByTestId('var-invoice-sync-webhookPath').fill('erp/invoices');
  await editor.getByTestId('wizard-next').click();
  await expect(page.getByTestId('edit-applied-deployments')).toContainText('v3', { timeout: 30_000 });
  await shot(page, 'docs/screenshots/onboarding-edit-applied.png');
  await page.getByTestId('edit-done').click();
  await expect(page.getByTestId('overview-deployments')).toContainText(`/api/hooks/${imported}/erp/invoices`);
});

test('the wizard names an unreachable ERP at the systems step, and an abandoned onboarding leaves nothing', async ({ page }) => {
  const name = `Abandoned ${suffix}`;
  await page.goto('/onboarding');
  await page.getByTestId('start-onboarding').click();
  await page.getByTestId('profile-name').fill(name);
  await expect(page.getByTestId('slug-state')).toContainText('is available');
  const slug = await page.getByTestId('profile-slug').inputValue();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId(`erp-${netsuite.id}`).click();
  await page.getByTestId('erp-baseUrl').fill('http://127.0.0.1:1');
  for (const [key, value] of Object.entries(netsuite.credentials)) await page.getByTestId(`erp-cred-${key}`).fill(value);
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('erp-test-result')).toContainText('NetSuite is unreachable', { timeout: 30_000 });
  await expect(page.getByTestId('step-systems')).toBeVisible();
  await shot(page, 'docs/screenshots/onboarding-systems-unreachable.png');

  // Abandon: discard the draft from the list; no tenant was ever created.
  await page.goto('/onboarding');
  const row = page.getByTestId('drafts').getByRole('row').filter({ hasText: name });
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByTestId('drafts').getByText(name)).toHaveCount(0);
  await page.goto(`/tenants/${slug}`);
  await expect(page.locator('.banner-error')).toContainText(/There is no tenant|does not exist/, { timeout: 30_000 });
});
