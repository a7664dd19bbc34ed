import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "./language-reference.js";

const CHROMIUM = "/usr/bin/chromium";

/** Debian's Chromium through playwright-core (which never downloads a browser); null (skip) when absent, an error in CI. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    const why = `${CHROMIUM} is missing: apt-get install -y chromium`;
    if (process.env["CI"] === "true") throw new Error(`the report test needs Chromium in CI: ${why}`);
    console.warn(`skipped: opening the report in a browser: ${why}`);
    return null;
  }
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM });
}

/** A page opened in headless Chromium and saved whole as test-artifacts/NAME.png (for looking at); false when skipped. */
export async function screenshotPage(htmlFile: string, name: string): Promise<boolean> {
  const browser = await launchChromium();
  if (browser === null) return false;
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(htmlFile).href);
    const out = join(REPO_ROOT, "test-artifacts", `${name}.png`);
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    return true;
  } finally {
    await browser.close();
  }
}
