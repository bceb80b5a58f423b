// The environment check page (demo/detect.html) in Chromium with fake devices, against the real
// room server and Janus: "Run all checks" fills every card, and the rendered page is screenshotted
// (test-results/detect-page.png) and checked to show the report.
import { spawn } from 'node:child_process';

import { expect, test } from '@playwright/test';

import { startRoomServer, type RunningServer } from './support/room-server';

const PORT = Number(process.env.TRTC_E2E_DETECT_PORT ?? 8092);
let server: RunningServer;

test.beforeAll(async () => {
  server = await startRoomServer(PORT, ['--static', 'demo', '--static', '/dist=dist']);
});

test.afterAll(async () => {
  await server.stop();
});

test('the detect page runs every check and renders a readable report', async ({ page }) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.base}/detect.html?duration=6000`);

  // Without any permission, the browser card is filled at once.
  await expect(page.locator('#system')).toContainText('Chrome');
  await expect(page.locator('#api')).toContainText('✓ WebRTC');
  await expect(page.locator('#codecs')).toContainText('VP8');

  await page.click('#run-all');
  await expect(page.locator('body')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });

  // The verdict, and each card in words.
  await expect(page.locator('#verdict')).toHaveAttribute('data-state', 'ok');
  await expect(page.locator('#verdict-title')).toHaveText('✓ Ready for calls');
  await expect(page.locator('#camera-result')).toContainText('1280 × 720');
  await expect(page.locator('#camera-result')).toHaveAttribute('data-state', 'ok');
  await expect(page.locator('#mic-result')).toContainText('picks up sound');
  await expect(page.locator('#speaker-result')).toContainText('Did you hear it?');
  await page.click('#speaker-yes');
  await expect(page.locator('#speaker-result')).toHaveText('✓ The speaker works.');
  await expect(page.locator('#network-result')).toHaveAttribute('data-state', 'ok');
  await expect(page.locator('#network')).toContainText(/Excellent|Good/);
  await expect(page.locator('#network')).toContainText('kbps');
  await expect(page.locator('#devices')).toContainText('Cameras (1)');
  await expect(page.locator('#devices')).toContainText('permission granted');
  await expect(page.locator('#hwaccel')).toContainText(/hardware video encoding/i, { timeout: 40_000 });

  // The report behind "Copy report" has what the page shows.
  const report = await page.evaluate(() => (window as any).detectReport);
  expect(report.supported.result).toBe(true);
  expect(report.network.uplinkNetworkQuality).toBeGreaterThanOrEqual(1);
  expect(report.camera.width).toBe(1280);

  const png = await page.screenshot({ path: 'test-results/detect-page.png', fullPage: true });
  // The screenshot shows a rendered report, not a blank or half-styled page: many colours (text,
  // green checks, the camera frame), and the green of a passed check in the verdict card.
  const look = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const data = g.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    let green = 0;
    for (let i = 0; i < data.length; i += 4 * 7) {
      colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      if (data[i] === 0x2f && data[i + 1] === 0xb3 && data[i + 2] === 0x6b) green++;
    }
    return { width: img.width, height: img.height, colours: colours.size, green };
  }, png.toString('base64'));
  expect(look.width).toBe(1280);
  expect(look.height).toBeGreaterThan(900);
  expect(look.colours).toBeGreaterThan(200);
  expect(look.green).toBeGreaterThan(50);
  expect(errors).toEqual([]);
});

test('the detect page explains a server without test UserSigs', async ({ page }) => {
  // A server without --dev-usersig: the network card says what to do instead.
  const child = spawn(
    process.execPath,
    ['build/server/index.js', '--port', String(PORT + 100), '--no-janus', '--static', 'demo', '--static', '/dist=dist'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await expect
      .poll(() =>
        fetch(`http://127.0.0.1:${PORT + 100}/health`).then(
          (r) => r.status,
          () => 0,
        ),
      )
      .toBeGreaterThan(0);
    await page.goto(`http://127.0.0.1:${PORT + 100}/detect.html`);
    await page.click('#test-network');
    await expect(page.locator('#network-result')).toContainText('does not hand out test UserSigs');
    await expect(page.locator('#network-result')).toHaveAttribute('data-state', 'bad');
  } finally {
    child.kill('SIGTERM');
  }
});
