import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@liexi/platform';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createApp } from '../../../apps/api/src/bootstrap';
import { createTestDatabase } from '../../support/database';

const root = join(__dirname, '..', '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots are CI artifacts (gitignored), linked from the README. */
export const SCREENSHOTS = join(root, 'test-artifacts', 'screenshots');

/** Builds the screens with the project's Vite config into a folder of this test's own. */
export function buildScreens(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'liexi-web-'));
  execFileSync(
    join(root, 'node_modules', '.bin', 'vite'),
    ['build', '--config', join(root, 'apps', 'web', 'vite.config.mjs'), '--outDir', dir, '--emptyOutDir'],
    { cwd: root, stdio: 'pipe' },
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The api serving the built screens, on a fresh clone of the migrated test database. */
export async function startWebApp(webRoot: string): Promise<{
  app: INestApplication;
  baseUrl: string;
  port: number;
  /** The test database, for assertions on what was stored (not only what a screen shows). */
  dbUrl: string;
  close(): Promise<void>;
}> {
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    SEED_DEMO: 'true',
    PORT: '0',
    JOBS_ENABLED: 'false',
  });
  const app = await createApp(config, db.url, { logger: false, webRoot });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer() as { address(): AddressInfo }).address().port;
  return {
    app,
    port,
    dbUrl: db.url,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** Debian's Chromium, headless, with nothing that reaches out to the network on its own. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk (.ci/run does this)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export function newContext(
  browser: Browser,
  viewport = { width: 1024, height: 1366 },
): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

/** Empties the screenshots folder, so that it holds this run's pictures only. */
export function clearScreenshots(): void {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core (injected from node_modules, no network) on WCAG 2.1 A/AA rules: serious and critical violations. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, not as an inline script: the screens' CSP forbids those.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${axeSource}\n;0`);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
}

/** Waits for a condition (polled), never for a fixed time; fails with `what` after `ms`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A `datetime-local` value in Asia/Shanghai for a moment. */
export function shanghaiLocal(d: Date): string {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
  return parts.replace(' ', 'T');
}
