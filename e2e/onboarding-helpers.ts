import { expect, type Page } from '@playwright/test';

/**
 * What the onboarding specs share. Credentials: the demo estate's (packages/erp-sim/src/demo-estate.ts),
 * fake and local; the embedded product prefills each simulator's address and settings.
 */
export const ERPS = [
  {
    id: 'netsuite',
    credentials: { consumerKey: 'demo-ns-consumer-key-1', consumerSecret: 'demo-ns-consumer-secret-1', tokenId: 'demo-ns-token-id-1', tokenSecret: 'demo-ns-token-secret-1' },
  },
  { id: 'business-central', credentials: { clientId: 'demo-bc-client-1', clientSecret: 'demo-bc-secret-1' } },
  { id: 'sap', credentials: { username: 'DEMO_COMM_USER', password: 'demo-sap-password-1' } },
  { id: 'workday', credentials: { clientId: 'demo-wd-client-1', clientSecret: 'demo-wd-secret-1', refreshToken: 'demo-wd-refresh-token-1' } },
  { id: 'oracle-fusion', credentials: { username: 'integration.user@acme.example', password: 'demo-fa-password-1' } },
] as const;

/** Counts every click (and select) the admin makes. */
export function clicker(page: Page) {
  let clicks = 0;
  return {
    click: async (testId: string) => {
      clicks++;
      await page.getByTestId(testId).click();
    },
    get count() {
      return clicks;
    },
  };
}

/** The app shell scrolls inside <main>, so a full-page shot needs a viewport as tall as the content. */
export async function shot(page: Page, file: string) {
  const height = await page.evaluate(() => Math.max(900, (document.querySelector('main')?.scrollHeight ?? 900) + 40));
  await page.setViewportSize({ width: 1440, height: Math.min(height, 4000) });
  await page.screenshot({ path: file });
  await page.setViewportSize({ width: 1440, height: 900 });
}

export { expect };
