/**
 * The demo storefront in a real browser (Debian's chromium driven by puppeteer-core) against `npm start`'s stack,
 * once per backend: the real handlers under serverless-offline on DynamoDB Local, then on MongoDB, CORS for the page's origin only, and the page
 * served by scripts/local/demoServer.ts. The page buys once, then runs a flash sale of 150 virtual buyers for the
 * 100 units left; the counts are read from the DOM, checked to have grown while answers arrived, and checked
 * against the database.
 *
 * Where chromium is missing (CHROMIUM_PATH if set, else /usr/bin/chromium), one test says so and nothing else runs:
 * `apt-get install -y --no-install-recommends chromium` (.ci/run does). LOCKLESS_UPDATE_SCREENSHOT=1 also saves
 * the page after the sale to docs/demo.png.
 * Heavy: `flock /tmp/lockless-heavy.lock npx jest test/demo/demoPage.test.ts`.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { buildClientBundle, startDemoServer, type DemoServer } from '../../scripts/local/demoServer';
import { startOffline, type OfflineHandle } from '../../scripts/local/offline';
import { freePort } from '../../tools/servers/process';
import { BURST_MARGINS } from '../delivery/bursts';
import { backendEnv } from '../support/functions';
import { buildSuiteBundles, type SuiteBundles } from '../support/bundles';
import { BACKENDS, backendFixture, type BackendFixture } from '../support/stores';

const ROOT = join(__dirname, '..', '..');
/** CHROMIUM_PATH, when set, is the only candidate (so a wrong path reports chromium missing instead of using another). */
const CHROMIUM = (process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser']).find((p) =>
  existsSync(p),
);
/** The flags that work on this machine and in CI (no sandbox as root, nothing that reaches the network). */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const BUYERS = 150;
const STOCK = 100;
/** Far above a busy 2-core machine's worst case for 150 purchases queued 6 at a time by the browser. */
const SALE_MS = 400_000;

if (!CHROMIUM) {
  describe('the demo page in a browser', () => {
    it('is not tested: chromium is missing', () => {
      console.log(
        'demo page test NOT RUN: chromium is missing (apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH)',
      );
      expect(CHROMIUM).toBeUndefined();
    });
  });
} else {
  // Both backends: `npm start` serves the same page whichever it runs (BACKEND=mongodb npm start).
  describe.each(BACKENDS)('the demo page in chromium, against the local stack on %s', (backend) => {
    let fixture: BackendFixture;
    let offline: OfflineHandle;
    let demo: DemoServer;
    let bundles: SuiteBundles | undefined;
    let browser: Browser;
    let profile: string;
    let page: Page;
    const pageErrors: string[] = [];
    /** The status of every purchase answer the browser received, as the network saw it. */
    const purchaseStatuses: number[] = [];

    beforeAll(async () => {
      fixture = await backendFixture(backend, 'demo');
      bundles = await buildSuiteBundles('demo', backend);
      await buildClientBundle();
      // The page's origin must be known before the API starts: it is the one origin CORS allows.
      const demoPort = await freePort();
      offline = await startOffline({
        httpPort: await freePort(),
        lambdaPort: await freePort(),
        env: {
          ...backendEnv(backend, fixture),
          ...BURST_MARGINS,
          LOCKLESS_CORS_ORIGINS: `http://127.0.0.1:${demoPort}`,
          ...bundles.env,
        },
      });
      demo = await startDemoServer({ port: demoPort, apiUrl: offline.httpUrl });
      profile = await mkdtemp(join(tmpdir(), 'lockless-chromium-'));
      browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir: profile, args: CHROMIUM_FLAGS });
      page = await browser.newPage();
      await page.setViewport({ width: 820, height: 600 });
      page.on('pageerror', (err) => pageErrors.push(String(err)));
      // Chromium logs every 4xx as a console error ("Failed to load resource"): those are the answers, counted below.
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) pageErrors.push(msg.text());
      });
      page.on('response', (res) => {
        if (res.request().method() === 'POST' && res.url().endsWith('/purchase')) purchaseStatuses.push(res.status());
      });
    }, 300_000);
    afterAll(async () => {
      await browser?.close();
      await demo?.close();
      await offline?.stop();
      await bundles?.remove();
      await fixture?.cleanup();
      if (profile) await rm(profile, { recursive: true, force: true });
    });

    const text = (id: string) => page.$eval(`#${id}`, (el) => el.textContent ?? '');
    const waitForStock = (stock: number) => page.waitForSelector(`#stock[data-stock="${stock}"]`, { timeout: 60_000 });

    it(
      `buys once, then sells the last ${STOCK} units to ${BUYERS} virtual buyers, counted as the answers arrive`,
      async () => {
        // Arrange: a product of its own with one unit for the buy button and STOCK for the sale.
        const productId = `demo-${Math.random().toString(36).slice(2, 8)}`;
        await fixture.store.insert('products', { id: productId, name: 'Limited sneaker', stock: STOCK + 1, sold: 0, price: 990 });
        await page.goto(`${demo.url}/?product=${productId}`);
        await waitForStock(STOCK + 1);
        await page.waitForSelector('#buy:not([disabled])');

        // Act 1: the buy button.
        await page.click('#buy');
        await page.waitForSelector('#buy-result:not([data-state="idle"]):not([data-state="pending"])', { timeout: 120_000 });
        expect(await page.$eval('#buy-result', (el) => el.getAttribute('data-state'))).toBe('bought');
        await waitForStock(STOCK);

        // Act 2: the flash sale, recording every value the "answered" counter shows on the way.
        expect(await page.evaluate(`document.getElementById('buyers').value`)).toBe(String(BUYERS));
        await page.select('#strategy', 'atomic');
        // (A string: this project's TypeScript has no DOM library.)
        await page.evaluate(`
        window.seen = [];
        const answered = document.getElementById('answered');
        new MutationObserver(() => window.seen.push(Number(answered.textContent))).observe(answered, { childList: true, characterData: true, subtree: true });
      `);
        await page.click('#sale');
        await page.waitForSelector('#sale-status[data-state="done"]', { timeout: SALE_MS });
        await waitForStock(0);

        // Assert: the DOM.
        const counts = {
          successes: await text('successes'),
          soldOut: await text('sold-out'),
          conflicts: await text('conflicts'),
          other: await text('other'),
          otherCodes: await text('other-codes'),
          answered: await text('answered'),
          stock: await text('stock'),
        };
        const histogram = await page.$$eval('#histogram .num', (els) => els.map((el) => Number(el.textContent)));
        const seen = (await page.evaluate('window.seen')) as number[];
        console.log(
          `demo page flash sale: ${JSON.stringify({ ...counts, histogram, counterUpdates: seen.length, retries: await text('retries') })}`,
        );
        expect(counts).toEqual({
          successes: String(STOCK),
          soldOut: String(BUYERS - STOCK),
          conflicts: '0',
          other: '0',
          otherCodes: '',
          answered: String(BUYERS),
          stock: '0',
        });
        expect(histogram.reduce((a, b) => a + b, 0)).toBe(BUYERS);
        // Shown as they happened: the counter went up one answer at a time, not once at the end.
        expect(seen.filter((n) => n > 0 && n < BUYERS).length).toBeGreaterThan(BUYERS / 2);
        expect(seen).toEqual([...seen].sort((a, b) => a - b));
        expect(pageErrors).toEqual([]);
        // What the browser itself received: one 200 for the buy button, then 100 more and 50 sold-out 422s.
        expect([
          purchaseStatuses.filter((s) => s === 200).length,
          purchaseStatuses.filter((s) => s === 422).length,
          purchaseStatuses.length,
        ]).toEqual([STOCK + 1, BUYERS - STOCK, BUYERS + 1]);

        // Assert: the database agrees.
        const product = await fixture.store.get('products', productId);
        const orders = (await fixture.list('orders')).filter((o) => o.productId === productId);
        const saleOrders = orders.filter((o) => String(o.uid).startsWith('sale-'));
        expect(product).toMatchObject({ stock: 0, sold: STOCK + 1 });
        expect(saleOrders).toHaveLength(STOCK);
        expect(new Set(saleOrders.map((o) => o.uid)).size).toBe(STOCK);
        expect(orders.filter((o) => String(o.uid).startsWith('demo-shopper-'))).toHaveLength(1);
        expect(orders).toHaveLength(STOCK + 1);

        const shot = join(profile, 'demo.png');
        await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
        if (process.env.LOCKLESS_UPDATE_SCREENSHOT === '1' && backend === 'dynamodb') await copyFile(shot, join(ROOT, 'docs', 'demo.png'));
      },
      SALE_MS + 120_000,
    );
  });
}
