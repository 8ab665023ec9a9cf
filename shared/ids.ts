/** Identifiers minted by lockless. */
import { randomBytes } from 'node:crypto';

/**
 * A unique, time-ordered order number: 13 base-36 characters of milliseconds, then 16 hex characters of
 * randomness (64 bits), so two functions minting in the same millisecond still differ.
 */
export function newOrderNo(now: number = Date.now()): string {
  return `O${now.toString(36).toUpperCase().padStart(9, '0')}${randomBytes(8).toString('hex').toUpperCase()}`;
}

/** A unique, time-ordered transfer id, shaped like an order number with a T. */
export function newTransferId(now: number = Date.now()): string {
  return `T${now.toString(36).toUpperCase().padStart(9, '0')}${randomBytes(8).toString('hex').toUpperCase()}`;
}
