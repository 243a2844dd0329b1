import { expect, test } from '@playwright/test';

/**
 * API keys page: a key is created with chosen scopes, shown once, works against the REST surface,
 * records its last use, and stops working when revoked. The audit page then shows both changes,
 * filters by action and shows before/after.
 */
test('create an API key (shown once), use it, revoke it, and find both changes in the audit log', async ({ page, request }) => {
  const name = `Portal ${Date.now()}`;
  await page.goto('/api-keys');
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await page.getByTestId('new-api-key').click();

  // Field-level errors before anything is sent.
  await page.getByTestId('api-key-create').click();
  await expect(page.getByTestId('api-key-name-error')).toHaveText('Name must not be empty');
  await expect(page.getByTestId('api-key-scopes-error')).toHaveText('Choose at least one scope');

  await page.getByTestId('api-key-name').fill(name);
  await page.getByTestId('api-key-scope-status').check();
  await page.getByTestId('api-key-create').click();
  const value = page.getByTestId('api-key-value');
  await expect(value).toHaveText(/^sy_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
  const key = (await value.textContent())!;
  const row = page.locator(`[data-testid="api-key-row"][data-key-name="${name}"]`);
  await expect(row.getByTestId('api-key-state')).toHaveText('active');
  await expect(row.getByTestId('api-key-last-used')).toHaveText('never');
  await page.screenshot({ path: 'docs/screenshots/api-keys-created.png', fullPage: true });

  // Shown once: after dismissing, only the prefix is anywhere on the page.
  await page.getByTestId('api-key-dismiss').click();
  await expect(page.getByTestId('api-key-revealed')).toHaveCount(0);
  expect(await page.content()).not.toContain(key.slice(16));
  await expect(row).toContainText(key.slice(0, 16));

  // The key works against the portal status endpoint and its use is recorded.
  const ok = await request.get('/api/v1/status/NO-SUCH-BUSINESS-KEY', { headers: { authorization: `Bearer ${key}` } });
  expect(ok.status()).toBe(200);
  await page.reload();
  await expect(row.getByTestId('api-key-last-used')).not.toHaveText('never');

  await row.getByTestId('api-key-revoke').click();
  await row.getByTestId('api-key-revoke-confirm').click();
  await expect(row.getByTestId('api-key-state')).toHaveText('revoked');
  const refused = await request.get('/api/v1/status/NO-SUCH-BUSINESS-KEY', { headers: { authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
  await page.screenshot({ path: 'docs/screenshots/api-keys-revoked.png', fullPage: true });

  // The audit log has both changes, newest first, filterable by action, with before/after.
  await page.getByTestId('nav-audit').click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toHaveAttribute('data-action', 'api_key.revoke');
  await expect(rows.nth(1)).toHaveAttribute('data-action', 'api_key.create');
  await page.getByTestId('audit-filter-action').selectOption('api_key.revoke');
  await expect(page).toHaveURL(/action=api_key.revoke/);
  await expect(rows).not.toHaveCount(0);
  for (const action of await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-action')))) expect(action).toBe('api_key.revoke');
  await expect(rows.first().getByTestId('audit-changed')).toContainText('revokedAt');
  await rows.first().getByTestId('audit-toggle').click();
  await expect(page.getByTestId('audit-before')).toContainText('"revokedAt": null');
  await expect(page.getByTestId('audit-after')).toContainText(name);
  expect(await page.content()).not.toContain(key.slice(16));
  await page.screenshot({ path: 'docs/screenshots/audit-log.png', fullPage: true });

  // A range with nothing in it says so; clearing the filters brings everything back.
  await page.getByTestId('audit-filter-to').fill('2020-01-01');
  await expect(page.getByTestId('audit-empty')).toHaveText('No changes match these filters.');
  await page.getByTestId('audit-clear').click();
  await expect(rows.first()).toBeVisible();
});

/** Hardening: pages carry the security headers, and the strict CSP breaks nothing on them. */
test('pages carry security headers and render without Content-Security-Policy violations', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  for (const path of ['/api-keys', '/audit', '/workflows', '/runs']) {
    const response = await page.goto(path);
    const headers = response!.headers();
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("object-src 'none'");
    expect(headers['x-powered-by']).toBeUndefined();
    await expect(page.locator('main h1').first()).toBeVisible();
  }
  // The designer (React Flow, inline styles) also renders under the policy.
  await page.goto('/workflows');
  await page.getByTestId('workflow-link').first().click();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  expect(violations).toEqual([]);
});
