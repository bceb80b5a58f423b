// The level-meter demo page (demo/level-meter.html), as a person uses it: open it, start the
// microphone, see the level move.
import { expect, test } from '@playwright/test';

test('demo page meters the microphone through the SDK', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/demo/level-meter.html');
  await expect(page.locator('#version')).toHaveText(/^\d+\.\d+\.\d+$/);
  await expect(page.locator('#simd')).toHaveText('yes');
  await page.click('#start');
  // Chromium's fake microphone beeps about once a second.
  await expect
    .poll(async () => Number(await page.locator('#volume').textContent()), { timeout: 5000 })
    .toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/demo.png' });
  await page.click('#stop');
  await expect(page.locator('#start')).toBeEnabled();
  expect(errors).toEqual([]);
});
