// End-to-end tests in Debian's Chromium (never a downloaded browser) with fake camera/microphone,
// against the real room server serving the built SDK. Run by `npm test` after `npm run build`.
import { defineConfig } from '@playwright/test';

import { chromiumLaunchOptions } from './scripts/chromium.mjs';

const port = Number(process.env.TRTC_E2E_PORT ?? 8097);

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions({ fakeMedia: true }),
  },
  webServer: {
    command: `node build/server/index.js --port ${port} --no-janus --static .`,
    url: `http://127.0.0.1:${port}/health`,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
