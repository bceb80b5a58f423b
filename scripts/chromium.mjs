// How this project launches Debian's Chromium (never a downloaded browser), shared by the
// Playwright tests (playwright.config.ts) and the browser benchmark (scripts/bench-browser.mjs).
// Without the background-networking flags Chromium floods a closed network with refused connections.

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Fake camera and microphone, permission prompts accepted, audio allowed to start without a gesture.
const FAKE_MEDIA_ARGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Playwright launch options for Chromium.
 * @param {{ fakeMedia?: boolean }} [options]
 * @returns {{ executablePath: string, args: string[] }}
 */
export function chromiumLaunchOptions({ fakeMedia = false } = {}) {
  return {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: fakeMedia ? [...BASE_ARGS, ...FAKE_MEDIA_ARGS] : [...BASE_ARGS],
  };
}
