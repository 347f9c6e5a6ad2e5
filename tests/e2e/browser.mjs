// The short way into the site for a test file: `openSite(selector)` over
// harness.mjs (Debian's Chromium through playwright-core, every request,
// page error and CSP violation recorded).
import { launch, newPage, recordingContext } from './harness.mjs';
import { SITE } from './harness.mjs';

export { ARTIFACTS, SITE } from './harness.mjs';

/// Opens the site in a fresh headless Chromium and waits for `selector`.
/// Returns `{ browser, page, requests, problems, violations }`: every URL the
/// page asks for, page and console errors, CSP violations.
export async function openSite(selector) {
  const browser = await launch();
  try {
    const log = await recordingContext(browser);
    const page = await newPage(log);
    // End-of-life verdicts use the browser's date: fix it, so the expected
    // findings do not drift with the calendar. Timers still run.
    await page.clock.setFixedTime(new Date('2026-11-27T10:00:00'));
    await page.goto(SITE);
    await page.waitForSelector(selector);
    return { browser, page, requests: log.requests, problems: log.problems, violations: log.violations };
  } catch (e) {
    // Without this the test file's `after` has no browser to close and
    // node waits for Chromium forever.
    await browser.close();
    throw e;
  }
}
