/** Every contestant of a run, in the order they race (raw right before `atomic`, so the headline pair is adjacent). */
import type { Invoker } from '../invoke/invoker';
import type { RawDriver } from '../raw/rawDriver';
import { naiveReadCheckWrite, seed000VersionLoop, seed003Spin } from './baselines';
import type { Contestant } from './contestant';
import { locklessPurchaser, locklessTransfer } from './lockless';
import { rawCeiling, rawWithOrder } from './raw';

export function roster(raw: RawDriver, invoker: Invoker): Contestant[] {
  const contestants = [
    rawCeiling(raw),
    rawWithOrder(raw),
    locklessPurchaser(invoker, 'atomic'),
    locklessPurchaser(invoker, 'version'),
    locklessPurchaser(invoker, 'transaction'),
    naiveReadCheckWrite(raw),
    seed000VersionLoop(raw),
    seed003Spin(raw),
  ];
  if (invoker.has('transfer')) contestants.push(locklessTransfer(invoker));
  return contestants;
}
