// The demo storefront (docs/demo.md). Plain ES2018 module, no build step: the client SDK comes from the demo
// server (/sdk/index.mjs, built from client/src), and so do the development tokens (POST /tokens).
import { createClient, fetchTransport } from '/sdk/index.mjs';

/** Far above a busy local run's worst case: the page shows answers, and the browser queues requests (6 per host). */
const RETRY = { deadlineMs: 180000, tryTimeoutMs: 90000, maxTries: 10, baseMs: 200, capMs: 3000 };
/** Upper bounds of the latency buckets, in ms; the last bucket holds the rest. */
const BUCKETS = [50, 100, 200, 500, 1000, 2000, 5000, 10000];
const STOCK_POLL_MS = 500;

const $ = (id) => document.getElementById(id);
const transport = fetchTransport();
const run = Math.random().toString(36).slice(2, 8);

async function tokens(subs) {
  const res = await fetch('/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subs }) });
  if (!res.ok) throw new Error(`tokens: HTTP ${res.status}`);
  return (await res.json()).tokens;
}

function clientFor(baseUrl, token) {
  return createClient({ baseUrl, transport, getToken: () => token, lang: 'en', retry: RETRY });
}

function showStock(product) {
  $('product-name').textContent = product.name;
  $('price').textContent = (product.price / 100).toFixed(2);
  $('stock').textContent = String(product.stock);
  $('stock').dataset.stock = String(product.stock);
}

function histogram() {
  const counts = new Array(BUCKETS.length + 1).fill(0);
  const labels = BUCKETS.map((b, i) => `${i === 0 ? 0 : BUCKETS[i - 1]}–${b}`).concat(`≥ ${BUCKETS[BUCKETS.length - 1]}`);
  const rows = labels.map((label) => {
    const name = document.createElement('div');
    name.textContent = label;
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.width = '0';
    const num = document.createElement('div');
    num.className = 'num';
    num.textContent = '0';
    $('histogram').append(name, bar, num);
    return { bar, num };
  });
  return {
    reset() {
      counts.fill(0);
      for (const row of rows) {
        row.bar.style.width = '0';
        row.num.textContent = '0';
      }
    },
    add(ms) {
      const i = BUCKETS.findIndex((b) => ms < b);
      counts[i === -1 ? BUCKETS.length : i] += 1;
      const max = Math.max(...counts);
      rows.forEach((row, k) => {
        row.bar.style.width = `${(100 * counts[k]) / max}%`;
        row.num.textContent = String(counts[k]);
      });
    },
  };
}

function bump(id, by = 1) {
  $(id).textContent = String(Number($(id).textContent) + by);
}

async function main() {
  const config = await (await fetch('/config.json')).json();
  const productId = new URLSearchParams(location.search).get('product') || config.productId;
  $('api-url').textContent = config.apiUrl;
  $('product-id').textContent = productId;
  const hist = histogram();

  // The public read needs no token. Polled, because answers arrive out of order and other buyers exist; one
  // read at a time, so reads do not pile up behind a sale in the browser's 6 connections.
  const reader = createClient({ baseUrl: config.apiUrl, transport, lang: 'en', retry: RETRY });
  const refreshStock = async () => {
    const r = await reader.getProduct(productId);
    if (r.ok) showStock(r.data);
    else $('stock').textContent = r.error;
  };
  const pollStock = () => refreshStock().finally(() => setTimeout(pollStock, STOCK_POLL_MS));
  await pollStock();

  const [shopperToken] = await tokens([`demo-shopper-${run}`]);
  const shopper = clientFor(config.apiUrl, shopperToken);
  $('buy').disabled = false;
  $('buy').onclick = async () => {
    $('buy').disabled = true;
    $('buy-result').dataset.state = 'pending';
    const r = await shopper.purchase(productId, { quantity: 1 });
    $('buy-result').textContent = r.ok ? `${r.msg}: order ${r.data.order.orderNo}` : `${r.error}: ${r.msg}`;
    $('buy-result').dataset.state = r.ok ? 'bought' : r.error;
    $('buy').disabled = false;
    void refreshStock();
  };

  let sales = 0;
  $('sale').disabled = false;
  $('sale').onclick = async () => {
    const n = Number($('buyers').value);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      $('sale-status').textContent = 'Virtual buyers: a whole number from 1 to 1000.';
      return;
    }
    const strategy = $('strategy').value;
    $('sale').disabled = true;
    for (const id of ['successes', 'sold-out', 'conflicts', 'other', 'answered', 'retries']) $(id).textContent = '0';
    $('other-codes').textContent = '';
    $('total').textContent = String(n);
    hist.reset();
    const sale = `sale-${run}-${++sales}`;
    $('sale-status').dataset.state = 'running';
    $('sale-status').textContent = `${sale}: ${n} buyers (${strategy})…`;
    const others = {};
    const keys = await tokens(Array.from({ length: n }, (_, i) => `${sale}-buyer-${i}`));
    await Promise.all(
      keys.map(async (token) => {
        const started = performance.now();
        const r = await clientFor(config.apiUrl, token).purchase(productId, { quantity: 1, strategy });
        hist.add(performance.now() - started);
        bump('retries', r.tries - 1);
        if (r.ok) bump('successes');
        else if (r.error === 'INSUFFICIENT_STOCK') bump('sold-out');
        else if (r.error === 'VERSION_CONFLICT' || r.error === 'TRANSACTION_CONFLICT') bump('conflicts');
        else {
          bump('other');
          others[r.error] = (others[r.error] || 0) + 1;
          $('other-codes').textContent = Object.entries(others)
            .map(([code, count]) => `${code} × ${count}`)
            .join(', ');
        }
        bump('answered');
      }),
    );
    $('sale-status').textContent = `${sale}: done`;
    $('sale-status').dataset.state = 'done';
    $('sale').disabled = false;
    void refreshStock();
  };
}

main().catch((err) => {
  document.body.dataset.error = String(err?.message ? err.message : err);
  $('sale-status').textContent = `The page could not start: ${document.body.dataset.error}`;
});
