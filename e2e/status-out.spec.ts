import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { expect, test } from '@playwright/test';

/**
 * Status webhooks page: a portal subscription is created (its signing secret shown once), a run's
 * status change is pushed to a real HTTP endpoint, signed in the Standard Webhooks form; the first
 * attempt is refused (503) and retried, the delivery log shows both attempts, and a manual
 * redelivery sends the same message (same webhook-id) again.
 */

const RECEIVER_PORT = 3181; // on the product's outbound allowlist (e2e/global-setup.ts)

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
const received: Received[] = [];
const refusedOnce = new Set<string>();

test.beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const id = String(req.headers['webhook-id']);
      // The portal is briefly down for each new message: the sender must retry.
      if (!refusedOnce.has(id)) {
        refusedOnce.add(id);
        res.writeHead(503).end('portal restarting');
        return;
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(RECEIVER_PORT, '127.0.0.1', resolve));
});
test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function verify(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`).digest('base64');
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

test('subscribe a portal, see a refused delivery retried and signed, redeliver by hand', async ({ page, request }) => {
  test.setTimeout(120_000);
  const name = `Portal ${Date.now()}`;
  await page.goto('/status-out');
  await expect(page.getByRole('heading', { name: 'Status webhooks' })).toBeVisible();
  await page.getByTestId('new-subscription').click();

  // Bad input is named per field before anything is sent.
  await page.getByTestId('subscription-url').fill('ftp://portal.example.com');
  await page.getByTestId('subscription-create').click();
  await expect(page.getByTestId('subscription-name-error')).toHaveText('Name must not be empty');
  await expect(page.getByTestId('subscription-url-error')).toHaveText('URL must use http or https');

  await page.getByTestId('subscription-name').fill(name);
  await page.getByTestId('subscription-url').fill(`http://127.0.0.1:${RECEIVER_PORT}/hooks/switchyard`);
  await page.getByTestId('subscription-status-succeeded').check();
  await page.locator('[data-testid="subscription-workflow"][data-workflow-name="Invoice sync"]').check();
  await page.getByTestId('subscription-create').click();
  const secretText = page.getByTestId('subscription-secret');
  await expect(secretText).toHaveText(/^whsec_[A-Za-z0-9+/=]{20,}$/);
  const secret = (await secretText.textContent())!;
  const row = page.locator(`[data-testid="subscription-row"][data-subscription-name="${name}"]`);
  await expect(row).toContainText('succeeded');
  await expect(row).toContainText('Invoice sync');
  await page.screenshot({ path: 'docs/screenshots/status-out-created.png', fullPage: true });

  // A second subscription with the same name is refused on the name field.
  await page.getByTestId('subscription-secret-dismiss').click();
  await expect(page.getByTestId('subscription-secret-revealed')).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  await page.getByTestId('new-subscription').click();
  await page.getByTestId('subscription-name').fill(name);
  await page.getByTestId('subscription-url').fill('https://portal.example.com/x');
  await page.getByTestId('subscription-create').click();
  await expect(page.getByTestId('subscription-name-error')).toContainText('already exists');
  await page.getByRole('button', { name: 'Cancel' }).click();

  // A run of the subscribed workflow succeeds: its status change goes out.
  const number = `INV-SO-${Date.now()}`;
  const res = await request.post('/api/hooks/acme/invoices', { data: { number, currency: 'EUR', customer: { name: 'Initech' }, lines: [{ sku: 'A-1', quantity: 1, unitPrice: 10 }] } });
  expect(res.status()).toBe(200);

  await page.getByTestId('delivery-log-subscription').selectOption({ label: name });
  const delivery = page.getByTestId('delivery-row').first();
  await expect(delivery.getByTestId('delivery-event')).toHaveAttribute('data-status', 'succeeded');
  // Refused once (503), then retried after the backoff and accepted.
  await expect(delivery).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await delivery.getByTestId('delivery-attempts').click();
  const attempts = page.getByTestId('delivery-attempt');
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(0)).toContainText('503');
  await expect(attempts.nth(1)).toContainText('204');
  await page.screenshot({ path: 'docs/screenshots/status-out-delivery-log.png', fullPage: true });

  const deliveryId = (await delivery.getAttribute('data-delivery-id'))!;
  const mine = () => received.filter((r) => r.headers['webhook-id'] === deliveryId);
  expect(mine()).toHaveLength(2);
  for (const r of mine()) expect(verify(secret, r)).toBe(true);
  const body = JSON.parse(mine()[1]!.body);
  expect(body).toMatchObject({ type: 'run.status_changed', data: { status: 'succeeded', businessKeys: expect.arrayContaining([number]) } });
  expect(mine()[1]!.body).not.toContain('Initech'); // status only, never the run's payload

  // Manual redelivery: the same message (same webhook-id) is sent again and logged as a third attempt.
  await delivery.getByTestId('delivery-redeliver').click();
  await expect.poll(() => mine().length, { timeout: 30_000 }).toBe(3);
  await expect(attempts).toHaveCount(3);
  await expect(delivery).toHaveAttribute('data-state', 'succeeded');
  expect(verify(secret, mine()[2]!)).toBe(true);
  expect(mine()[2]!.body).toBe(mine()[1]!.body);
});
