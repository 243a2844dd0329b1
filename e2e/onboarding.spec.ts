import { mkdirSync, writeFileSync } from 'node:fs';
import { test, type Page } from '@playwright/test';
import { clicker, ERPS, expect, shot } from './onboarding-helpers';

/**
 * Onboards one tenant per ERP through the wizard only, against the simulators the embedded product
 * starts (the wizard prefills their addresses; the credentials are typed, as an admin would), and
 * checks that the test event sent at go-live succeeds end to end. Prints clicks and time per
 * onboarding and writes them to bench/onboarding-e2e.json (the figures the docs quote).
 */
const figures: Array<{ erp: string; clicks: number; fieldsTyped: number; seconds: number }> = [];
/** Time spent on screenshots and demonstrations, left out of the measured time. */
let pausedMs = 0;
async function paused(work: () => Promise<void>) {
  const started = Date.now();
  await work();
  pausedMs += Date.now() - started;
}
const take = (page: Page, name: string, yes: boolean) => (yes ? paused(() => shot(page, `docs/screenshots/onboarding-${name}.png`)) : Promise.resolve());
/** Every ERP's systems and mappings steps differ: kept for review with the test results, not in the docs. */
const review = (page: Page, erp: string, name: string) => paused(() => shot(page, `test-results/onboarding-review/${erp}-${name}.png`));

test.describe.configure({ mode: 'serial' });

for (const [index, erp] of ERPS.entries()) {
  test(`onboards a ${erp.id} tenant through the wizard and a test event succeeds`, async ({ page }) => {
    test.setTimeout(180_000);
    const screenshots = index === 0;
    const suffix = Date.now().toString(36);
    const name = `Northwind ${erp.id} ${suffix}`;
    const ui = clicker(page);

    await page.goto('/onboarding');
    const started = Date.now();
    pausedMs = 0;
    await ui.click('start-onboarding');

    // 1. Profile: the slug follows the name and is checked as it is typed.
    await expect(page.getByTestId('step-profile')).toBeVisible();
    await page.getByTestId('profile-slug').fill('acme');
    await expect(page.getByTestId('slug-state')).toContainText('already used by the tenant');
    await page.getByTestId('profile-slug').fill('');
    await page.getByTestId('profile-name').fill(name);
    let fieldsTyped = 1;
    await expect(page.getByTestId('slug-state')).toContainText('is available');
    await take(page, 'profile', screenshots);
    await ui.click('wizard-next');

    // 2. Systems: pick the ERP (its address and settings are prefilled), type the credentials, test.
    await expect(page.getByTestId('step-systems')).toBeVisible();
    await ui.click(`erp-${erp.id}`);
    if (screenshots) {
      // A wrong secret is answered in words at this step. Not counted: this detour is the
      // demonstration, not part of taking a tenant live.
      await paused(async () => {
        for (const [key, value] of Object.entries(erp.credentials)) await page.getByTestId(`erp-cred-${key}`).fill(`${value}-wrong`);
        await page.getByTestId('erp-test').click();
        await expect(page.getByTestId('erp-test-result')).toContainText('refused the credentials');
        await shot(page, 'docs/screenshots/onboarding-systems-wrong-credentials.png');
      });
    }
    for (const [key, value] of Object.entries(erp.credentials)) await page.getByTestId(`erp-cred-${key}`).fill(value);
    fieldsTyped += Object.keys(erp.credentials).length;
    await ui.click('erp-test');
    await expect(page.getByTestId('erp-test-result')).toContainText('accepted the credentials');
    await take(page, 'systems', screenshots);
    await review(page, erp.id, 'systems');
    await ui.click('wizard-next');

    // 3. Mappings: lookup tables from the ERP's reference data, prefilled with suggestions; preview.
    await expect(page.getByTestId('step-mappings')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('lookup-taxCodes-US-CA')).not.toHaveValue('__unmapped__');
    await ui.click('preview-invoice');
    await expect(page.getByTestId('preview-payload')).toBeVisible();
    await take(page, 'mappings', screenshots);
    await review(page, erp.id, 'mappings');
    await ui.click('wizard-next');

    // 4. Policies: effective values with their source; one override.
    await expect(page.getByTestId('step-policies')).toBeVisible();
    await page.getByTestId('policy-retentionDays').fill('90');
    fieldsTyped++;
    await take(page, 'policies', screenshots);
    await ui.click('wizard-next');

    // 5. Workflows: invoice sync is preselected; its variables show their defaults.
    await expect(page.getByTestId('step-workflows')).toBeVisible();
    await expect(page.getByTestId('choose-invoice-sync')).toBeChecked();
    await take(page, 'workflows', screenshots);
    await ui.click('wizard-next');

    // 6. Review and go live: secrets shown once, and the test event's run.
    await expect(page.getByTestId('review-summary')).toBeVisible();
    await take(page, 'review', screenshots);
    await ui.click('go-live');
    await expect(page.getByTestId('go-live-result')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('signing-secret').first()).toContainText('whsec_');
    await expect(page.getByTestId('test-event-status')).toContainText('succeeded', { timeout: 30_000 });
    const seconds = (Date.now() - started - pausedMs) / 1000;
    figures.push({ erp: erp.id, clicks: ui.count, fieldsTyped, seconds: Math.round(seconds * 10) / 10 });
    await take(page, 'live', screenshots);
    await review(page, erp.id, 'live');

    // The overview: connection status, deployment, the test run.
    await page.getByTestId('open-overview').click();
    await expect(page.getByTestId('tenant-overview')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('overview-connections')).toContainText('connected');
    await expect(page.getByTestId('overview-deployments')).toContainText('v1');
    await expect(page.getByTestId('overview-runs')).toContainText('succeeded');
    await take(page, 'overview', screenshots);
  });
}

test.afterAll(() => {
  for (const f of figures) process.stdout.write(`onboarding ${f.erp.padEnd(17)} ${String(f.clicks).padStart(3)} clicks  ${String(f.fieldsTyped).padStart(2)} fields typed  ${f.seconds.toFixed(1).padStart(6)} s (start → test event succeeded)\n`);
  // Only a full run (every ERP) replaces the recorded figures.
  if (figures.length !== ERPS.length) return;
  mkdirSync('bench', { recursive: true });
  const file = {
    what: 'Taking a new tenant live through the onboarding wizard in Chromium, per ERP: clicks (and selects) and fields typed from "Onboard a tenant" to the test event succeeding, with the embedded demo\'s defaults (simulator addresses prefilled, suggested lookups accepted, one policy override).',
    goal: { seconds: 180, clicks: 40 },
    measuredAt: new Date().toISOString(),
    source: 'e2e/onboarding.spec.ts',
    figures,
  };
  writeFileSync('bench/onboarding-e2e.json', `${JSON.stringify(file, null, 2)}\n`);
});
