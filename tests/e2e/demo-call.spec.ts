// The call demo (demo/index.html) as people use it: two Chromium windows with fake cameras open the
// page served by a real room server (with Janus), fill the form and join the same room, see each
// other, mute, read the stats, leave. Also: the banner when the same user id joins twice, and the
// explanation when the server hands out no UserSigs.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';

import { startRoomServer, type RunningServer } from './support/room-server';

const PORT = Number(process.env.TRTC_E2E_DEMO_PORT ?? 8094);
let server: RunningServer;
let room = 1000 + Math.floor(Math.random() * 8000);
const contexts: BrowserContext[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startRoomServer(PORT, ['--static', 'demo', '--static', '/dist=dist']);
});

test.afterAll(async () => {
  await server.stop();
});

test.afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});

/** Opens the demo in a fresh browser context (its own "person"); collects uncaught page errors. */
async function openDemo(browser: Browser, errors: string[], url = `${server.base}/`): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await expect(page.locator('#version')).toHaveText(/^\d+\.\d+\.\d+$/);
  return page;
}

async function joinAs(page: Page, roomId: number, userId: string): Promise<void> {
  await page.getByLabel('Room id').fill(String(roomId));
  await page.getByLabel('User id').fill(userId);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.locator('#call-panel')).toBeVisible();
  await expect(page.locator('#conn-state')).toHaveText('Connected');
}

function remoteTile(page: Page, userId: string) {
  return page.locator(`#grid figure[data-user-id="${userId}"][data-type="main"]`);
}

/** Waits until the tile of `userId` plays a `<video>` with decoded frames, and the frames keep coming. */
async function expectPlaying(page: Page, userId: string): Promise<void> {
  const video = remoteTile(page, userId).locator('video');
  await expect(video).toHaveCount(1, { timeout: 15_000 });
  const read = () =>
    video.evaluate((v: HTMLVideoElement) => ({
      width: v.videoWidth,
      paused: v.paused,
      frames: v.getVideoPlaybackQuality().totalVideoFrames,
    }));
  await expect.poll(async () => (await read()).width, { timeout: 15_000 }).toBeGreaterThan(0);
  const first = await read();
  expect(first.paused).toBe(false);
  await expect.poll(async () => (await read()).frames, { timeout: 10_000 }).toBeGreaterThan(first.frames);
}

test('two people join the same room through the form, see each other, mute, share the screen, read stats and leave', async ({
  browser,
}) => {
  const roomId = room++;
  const errors: string[] = [];
  const a = await openDemo(browser, errors);

  // The form starts filled (random room and user), and the invite link follows the room id.
  await expect(a.getByLabel('Room id')).toHaveValue(/^\d{4}$/);
  await expect(a.getByLabel('User id')).toHaveValue(/^user_\w+$/);
  await a.getByLabel('Room id').fill(String(roomId));
  const invite = `${server.base}/?roomId=${roomId}`;
  await expect(a.locator('#invite-link')).toHaveAttribute('href', invite);
  await a.getByRole('button', { name: 'Copy invite link' }).click();
  await expect(a.locator('#copy-status')).toContainText('Copied');
  expect(await a.evaluate(() => navigator.clipboard.readText())).toBe(invite);
  await joinAs(a, roomId, 'alice');

  // The second person opens the invite link: the room id is filled in already.
  const b = await openDemo(browser, errors, invite);
  await expect(b.getByLabel('Room id')).toHaveValue(String(roomId));
  await joinAs(b, roomId, 'bob');

  // Each page shows the other's tile, labelled with the user id, playing decoded video.
  await expect(remoteTile(a, 'bob').locator('figcaption')).toContainText('bob');
  await expect(remoteTile(b, 'alice').locator('figcaption')).toContainText('alice');
  await expectPlaying(a, 'bob');
  await expectPlaying(b, 'alice');
  await expect(a.locator('#empty-hint')).toBeHidden();
  await expect(a.locator('#log')).toContainText('bob joined');
  await expect(b.locator('#log')).toContainText('alice joined');

  // Bob turns his camera off: Alice sees the "camera off" badge (mute-video), then it goes away.
  await b.getByRole('button', { name: 'Turn camera off' }).click();
  await expect(b.getByRole('button', { name: 'Turn camera on' })).toBeVisible();
  await expect(b.locator('#local-tile .badge-camera-off')).toBeVisible();
  await expect(remoteTile(a, 'bob').locator('.badge-camera-off')).toBeVisible();
  await expect(remoteTile(a, 'bob').locator('.badge-camera-off')).toHaveText('camera off');
  await expect(a.locator('#log')).toContainText('bob turned the camera off');
  await b.getByRole('button', { name: 'Turn camera on' }).click();
  await expect(remoteTile(a, 'bob').locator('.badge-camera-off')).toBeHidden();
  // The microphone too (mute-audio).
  await a.getByRole('button', { name: 'Mute mic' }).click();
  await expect(remoteTile(b, 'alice').locator('.badge-mic-off')).toBeVisible();
  await a.getByRole('button', { name: 'Unmute mic' }).click();
  await expect(remoteTile(b, 'alice').locator('.badge-mic-off')).toBeHidden();
  // Background music (AudioMixer plugin): it plays, the log says so, and it stops.
  await a.getByRole('button', { name: 'Play music' }).click();
  await expect(a.getByRole('button', { name: 'Stop music' })).toBeVisible();
  await expect(a.locator('#log')).toContainText('Music playing');
  await a.getByRole('button', { name: 'Stop music' }).click();
  await expect(a.getByRole('button', { name: 'Play music' })).toBeVisible();
  // Beauty (plugin): the toggle shows the sliders; moving one updates the running plugin.
  await a.getByRole('button', { name: 'Beauty on' }).click();
  await expect(a.getByRole('button', { name: 'Beauty off' })).toBeVisible();
  await expect(a.locator('#log')).toContainText('Beauty on');
  await expect(a.locator('#beauty-controls')).toBeVisible();
  await a.locator('#beauty-brightness').fill('1');
  await a.getByRole('button', { name: 'Beauty off' }).click();
  await expect(a.getByRole('button', { name: 'Beauty on' })).toBeVisible();
  await expect(a.locator('#beauty-controls')).toBeHidden();
  await expect(a.locator('#log')).not.toContainText('beauty:');

  // The stats overlay: a real resolution on the remote and local tiles, then fps and kbps.
  const resolution = /([1-9]\d*)×([1-9]\d*)/;
  await expect(remoteTile(a, 'bob').locator('.stats')).toHaveText(resolution, { timeout: 10_000 });
  await expect(a.locator('#local-tile .stats')).toHaveText(resolution, { timeout: 10_000 });
  await expect(remoteTile(a, 'bob').locator('.stats')).toHaveText(/[1-9]\d* fps · [1-9]\d* kbps/, {
    timeout: 10_000,
  });
  // Network quality (every 2 s): words and bars.
  await expect(a.locator('#up-word')).toHaveText(/excellent|good|fair|poor/, { timeout: 10_000 });
  await expect(a.locator('#down-word')).toHaveText(/excellent|good|fair|poor/, { timeout: 10_000 });
  await expect(a.locator('#up-bars i.on').first()).toBeVisible();

  // Alice shares her screen (Chromium's fake capture UI accepts at once): Bob gets a second tile
  // from her auxiliary stream, which goes away when she stops.
  await a.getByRole('button', { name: 'Share screen' }).click();
  await expect(a.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
  const bobSeesScreen = b.locator('#grid figure[data-user-id="alice"][data-type="auxiliary"]');
  await expect(bobSeesScreen.locator('figcaption')).toContainText('alice (screen)');
  await expect
    .poll(() => bobSeesScreen.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15_000 })
    .toBeGreaterThan(0);
  await a.getByRole('button', { name: 'Stop sharing' }).click();
  await expect(bobSeesScreen).toHaveCount(0, { timeout: 10_000 });
  await expect(a.getByRole('button', { name: 'Share screen' })).toBeVisible();

  await a.screenshot({ path: 'test-results/demo-call-a.png' });
  await b.screenshot({ path: 'test-results/demo-call-b.png' });

  // A narrow window: everything stacks, nothing sticks out sideways.
  await a.setViewportSize({ width: 390, height: 844 });
  expect(await a.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await a.screenshot({ path: 'test-results/demo-call-narrow.png', fullPage: true });
  await a.setViewportSize({ width: 1280, height: 720 });

  // Bob leaves: his tile disappears on Alice's page, and Bob is back at the form.
  await b.getByRole('button', { name: 'Leave' }).click();
  await expect(b.locator('#join-panel')).toBeVisible();
  await expect(b.locator('#grid figure[data-type="main"]')).toHaveCount(0);
  await expect(remoteTile(a, 'bob')).toHaveCount(0, { timeout: 10_000 });
  await expect(a.locator('#log')).toContainText('bob left');
  await expect(a.locator('#empty-hint')).toBeVisible();
  await a.getByRole('button', { name: 'Leave' }).click();
  await expect(a.locator('#join-panel')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the same user id joining elsewhere: the first page explains it was removed', async ({ browser }) => {
  const roomId = room++;
  const errors: string[] = [];
  const first = await openDemo(browser, errors);
  const second = await openDemo(browser, errors);
  await joinAs(first, roomId, 'carol');
  await joinAs(second, roomId, 'carol');
  await expect(first.locator('#banner')).toBeVisible();
  await expect(first.locator('#banner-text')).toContainText('with your user id (carol)');
  await expect(first.locator('#join-panel')).toBeVisible();
  await expect(first.locator('#log')).toContainText('Removed from the room: kick');
  await first.getByRole('button', { name: 'Dismiss' }).click();
  await expect(first.locator('#banner')).toBeHidden();
  await second.getByRole('button', { name: 'Leave' }).click();
  await expect(second.locator('#join-panel')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a server without --dev-usersig: Join explains that UserSigs come from the app backend', async ({ page }) => {
  // Playwright's own web server (playwright.config.ts) runs without --dev-usersig.
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/demo/index.html?roomId=4321');
  await expect(page.getByLabel('Room id')).toHaveValue('4321');
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.locator('#banner-text')).toContainText('without --dev-usersig');
  await expect(page.locator('#banner-text')).toContainText('backend');
  await expect(page.locator('#join-panel')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Join' })).toBeEnabled();
  expect(errors).toEqual([]);
});
