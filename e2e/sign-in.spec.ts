import { expect, test, type Page } from '@playwright/test';
import { ADMIN_EMAIL } from './auth';

/**
 * Sign-in and roles in the browser: a wrong password is refused on the page, an admin adds a viewer
 * on the Users page (the generated password is shown once), and the viewer, signed in through the
 * page, sees the tenant but none of the controls a viewer may not use.
 */
const signedOut = { storageState: { cookies: [], origins: [] } };

async function signIn(page: Page, email: string, password: string) {
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
}

test.describe('signed out', () => {
  test.use(signedOut);

  test('a page sends you to sign in, and a wrong password says so without signing in', async ({ page }) => {
    await page.goto('/runs');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fruns/);
    await signIn(page, ADMIN_EMAIL, 'not-the-password');
    await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong email or password.');
    await expect(page).toHaveURL(/\/sign-in/);
    await page.screenshot({ path: 'docs/screenshots/sign-in.png' });

    // The tRPC API refuses an anonymous caller too (not only the pages).
    const res = await page.request.get('/api/trpc/workflows.list', { headers: { 'x-switchyard-tenant': 'acme' } });
    expect(res.status()).toBe(401);
  });
});

test('an admin adds a viewer, who sees the tenant read-only and can sign out', async ({ page, browser }) => {
  const email = `viewer-${Date.now()}@example.com`;
  await page.goto('/users');
  await expect(page.getByTestId('signed-in-email')).toHaveText(ADMIN_EMAIL);
  await page.getByTestId('invite-email').fill(email);
  await page.getByTestId('invite-name').fill('Vic Viewer');
  await page.getByTestId('invite-role').selectOption('viewer');
  await page.getByTestId('invite-submit').click();
  const handover = page.getByTestId('new-password');
  await expect(handover).toContainText(email);
  const password = (await handover.locator('code').textContent())!.trim();
  await expect(page.locator(`[data-testid="member-row"][data-email="${email}"]`)).toContainText('Vic Viewer');
  await page.screenshot({ path: 'docs/screenshots/users.png' });

  const context = await browser.newContext(signedOut);
  const viewer = await context.newPage();
  await viewer.goto('/workflows');
  await signIn(viewer, email, password);
  await expect(viewer).toHaveURL(/\/workflows/);
  await expect(viewer.getByTestId('signed-in-email')).toHaveText(email);
  await expect(viewer.getByTestId('signed-in-role')).toHaveText('Viewer');
  // Reads work; what a viewer cannot do is not offered.
  await expect(viewer.getByTestId('workflow-row').first()).toBeVisible();
  await expect(viewer.getByTestId('new-workflow')).toHaveCount(0);
  await expect(viewer.getByTestId('nav-users')).toHaveCount(0);
  await expect(viewer.getByTestId('nav-onboarding')).toHaveCount(0);
  await viewer.screenshot({ path: test.info().outputPath('viewer-workflows.png') });
  await viewer.getByTestId('workflow-row').first().getByRole('link').first().click();
  await expect(viewer.getByTestId('read-only')).toBeVisible();
  await expect(viewer.getByTestId('publish')).toHaveCount(0);
  await expect(viewer.getByTestId('save-draft')).toHaveCount(0);

  // The server refuses the viewer's change even when asked directly.
  const create = await viewer.request.post('/api/trpc/workflows.create', {
    headers: { 'x-switchyard-tenant': 'acme', 'content-type': 'application/json' },
    data: { json: { name: 'Sneaky' } },
  });
  expect(create.status()).toBe(403);

  await viewer.getByTestId('sign-out').click();
  await expect(viewer).toHaveURL(/\/sign-in/);
  await viewer.goto('/workflows');
  await expect(viewer).toHaveURL(/\/sign-in/);
  await context.close();
});
