/** The scenarios of a run, in order, from the options. Adding a scenario is adding it here. */
import type { BenchOptions } from '../options';
import { hotItem, mixed, uncontended } from './purchases';
import type { Scenario } from './scenario';
import { transfersCold, transfersHot } from './transfers';

export function catalogue(options: Pick<BenchOptions, 'concurrency' | 'hot' | 'scenarios'>): Scenario[] {
  const all = [
    // At concurrency 1 the latency is the cost of one request; at the working concurrency it includes queueing.
    ...[...new Set([1, options.concurrency])].map(uncontended),
    ...options.hot.map(hotItem),
    mixed(options.concurrency),
    transfersHot(options.concurrency),
    transfersCold(options.concurrency),
  ];
  return options.scenarios.length ? all.filter((s) => options.scenarios.includes(s.group) || options.scenarios.includes(s.id)) : all;
}
