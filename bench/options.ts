/** Command-line flags of `npm run bench`, with the defaults that keep a full run under 10 minutes on 2 cores. */
import { parseArgs } from 'node:util';

export type BackendName = 'dynamodb' | 'mongodb';

export interface BenchOptions {
  backends: BackendName[];
  http: boolean;
  /** Only the HTTP-burst scenario (bench/bursts.ts): no cold start, no closed-loop scenarios. */
  bursts: boolean;
  quick: boolean;
  /** Requests per cell (one contestant in one scenario). */
  requests: number;
  /** Per-cell time cap in seconds: no new request starts after it. */
  seconds: number;
  /** Concurrency of the uncontended, mixed and transfer scenarios. */
  concurrency: number;
  /** Concurrency levels of the hot item. */
  hot: number[];
  /** Only these scenario groups / contestants (empty: all). */
  scenarios: string[];
  contestants: string[];
  /** Fresh-process loads per bundle for the cold-start medians (0 skips bundles and cold start). */
  coldRuns: number;
  /** Only bundles and cold start (the servers still start, for the first requests): no scenarios. */
  coldOnly: boolean;
  outDir: string;
  /** Write a V8 CPU profile of each worker here (to see where the client's time goes). */
  profileDir: string | null;
}

export const USAGE = `usage: npm run bench -- [flags]
  --backend dynamodb|mongodb|both   which backends (default both)
  --quick                           a smoke run: fewer requests, shorter cells, fewer cold-start runs
  --http                            drive the lockless contestants through serverless-offline over HTTP
  --bursts                          only the HTTP bursts: 150 and 500 buyers for 100 units, every strategy,
                                    through serverless-offline, then the reconciler's cost
  --requests N                      requests per contestant and scenario (default 2000, quick 300)
  --seconds S                       time cap per contestant and scenario (default 3, quick 1.5)
  --concurrency C                   uncontended (besides 1), mixed and transfer concurrency (default 8)
  --hot 1,8,32,64                   hot-item concurrency levels
  --scenarios a,b                   only these groups: uncontended,hot,mixed,transfer-hot,transfer-cold
  --contestants a,b                 only these contestants (by slug: raw,raworder,atomic,version,transaction,naive,seed000,seed003,lockless)
  --cold-runs N                     fresh processes per bundle for cold start (default 15, quick 5; 0 skips)
  --cold-only                       bundles and cold start only (init, and init + first request): no scenarios
  --out DIR                         where results go (default bench/results)
  --profile DIR                     write a V8 CPU profile of each backend's worker into DIR
Environment: LOCKLESS_MONGODB_URI and LOCKLESS_DYNAMODB_ENDPOINT (or the old MONGODB_URI, DYNAMODB_ENDPOINT) use your servers instead of starting local ones.`;

const list = (value: string | undefined) =>
  value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

function positive(name: string, value: string | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`--${name} must be a positive number, not ${value}`);
  return n;
}

export function parseOptions(argv: string[], defaultOutDir: string): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string' },
      quick: { type: 'boolean' },
      http: { type: 'boolean' },
      bursts: { type: 'boolean' },
      requests: { type: 'string' },
      seconds: { type: 'string' },
      concurrency: { type: 'string' },
      hot: { type: 'string' },
      scenarios: { type: 'string' },
      contestants: { type: 'string' },
      'cold-runs': { type: 'string' },
      'cold-only': { type: 'boolean' },
      out: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const backend = values.backend ?? 'both';
  if (!['dynamodb', 'mongodb', 'both'].includes(backend)) throw new Error(`--backend must be dynamodb, mongodb or both, not ${backend}`);
  const quick = values.quick ?? false;
  const bursts = values.bursts ?? false;
  if (bursts && values['cold-only']) throw new Error('--bursts and --cold-only are two different runs: pick one');
  // A burst run measures bursts alone: cold start only when asked for.
  const coldRuns = Math.floor(positive('cold-runs', values['cold-runs'], bursts ? 0 : quick ? 5 : 15, true));
  if (values['cold-only'] && coldRuns === 0) throw new Error('--cold-only measures cold start: --cold-runs must not be 0');
  const hot = values.hot ? list(values.hot).map((c) => Math.floor(positive('hot', c, 1))) : [1, 8, 32, 64];
  return {
    backends: backend === 'both' ? ['dynamodb', 'mongodb'] : [backend as BackendName],
    http: values.http ?? false,
    bursts,
    quick,
    requests: Math.floor(positive('requests', values.requests, quick ? 300 : 2000)),
    seconds: positive('seconds', values.seconds, quick ? 1.5 : 3),
    concurrency: Math.floor(positive('concurrency', values.concurrency, 8)),
    hot,
    scenarios: list(values.scenarios),
    contestants: list(values.contestants),
    coldRuns,
    coldOnly: values['cold-only'] ?? false,
    outDir: values.out ?? defaultOutDir,
    profileDir: values.profile ?? null,
  };
}
