/**
 * JSON objects as ordered entries, and mutations of them that are each certain to make the object invalid for
 * its route: a refused value in a field, an operator object or deep nesting in a field, a required field
 * missing, a bad optional field added, an unknown or hostile key inserted anywhere (also inside the cart item).
 *
 * Bodies and payloads are built as JSON text, key by key, so that `__proto__` and duplicate keys reach the
 * function exactly as JSON.parse (API Gateway's body, Lambda's payload) delivers them.
 */
import fc from 'fast-check';
import type { Command } from './requests';
import { ITEM_KEYS } from './routes';
import { anyJsonText, BAD_VALUE, deepText, injectionObjectText, unknownKey, type FieldType } from './values';

/** An object as ordered entries: a value is JSON text, or nested entries. */
export type Fields = Array<[string, string | Fields]>;

export function toText(fields: Fields): string {
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${typeof v === 'string' ? v : toText(v)}`).join(',')}}`;
}

export function toFields(command: Command): Fields {
  return Object.entries(command).map(([k, v]) => [k, typeof v === 'object' && v !== null ? toFields(v as Command) : JSON.stringify(v)]);
}

const TYPES: Record<string, FieldType> = {
  productId: 'id',
  cartId: 'id',
  itemId: 'id',
  accountId: 'id',
  orderNo: 'id',
  from: 'id',
  to: 'id',
  id: 'id',
  quantity: 'quantity',
  amount: 'amount',
  strategy: 'strategy',
  idempotencyKey: 'key',
  item: 'item',
  lang: 'lang',
};
const OPTIONAL = new Set(['strategy', 'idempotencyKey', 'lang']);

type Mutate = (fields: Fields) => fc.Arbitrary<[string, Fields]>;

const replaceAt = (fields: Fields, index: number, value: string | Fields): Fields =>
  fields.map((e, i) => (i === index ? [e[0], value] : e));
const insertAt = (fields: Fields, index: number, entry: [string, string]): Fields => [
  ...fields.slice(0, index),
  entry,
  ...fields.slice(index),
];

/** Mutations of one object level whose legal keys are `known`; `nested` reaches into the cart item. */
export function mutations(known: string[], nested: boolean): Mutate {
  return (fields) => {
    const options: Array<fc.Arbitrary<[string, Fields]>> = [];
    const required = fields.map((e, i) => [e, i] as const).filter(([e]) => !OPTIONAL.has(e[0]));
    // A bad `lang` is refused before identity is checked; it has its own mutation in directPlan.
    const targets = fields.map((_, i) => i).filter((i) => fields[i]![0] !== 'lang');
    if (targets.length > 0) {
      options.push(
        fc
          .constantFrom(...targets)
          .chain((i) =>
            BAD_VALUE[TYPES[fields[i]![0]] ?? 'id'].map((bad): [string, Fields] => [`bad ${fields[i]![0]}`, replaceAt(fields, i, bad)]),
          ),
        fc
          .constantFrom(...targets)
          .chain((i) =>
            fc
              .oneof(injectionObjectText, deepText)
              .map((bad): [string, Fields] => [`injection in ${fields[i]![0]}`, replaceAt(fields, i, bad)]),
          ),
      );
    }
    if (required.length > 0) {
      options.push(fc.constantFrom(...required).map(([e, i]): [string, Fields] => [`missing ${e[0]}`, fields.filter((_, j) => j !== i)]));
    }
    const absentOptional = known.filter((k) => OPTIONAL.has(k) && k !== 'lang' && !fields.some((e) => e[0] === k));
    if (absentOptional.length > 0) {
      options.push(
        fc
          .constantFrom(...absentOptional)
          .chain((k) => BAD_VALUE[TYPES[k]!].map((bad): [string, Fields] => [`bad ${k}`, [...fields, [k, bad]]])),
      );
    }
    options.push(
      fc
        .tuple(unknownKey(known), anyJsonText, fc.nat(fields.length))
        .map(([key, value, at]): [string, Fields] => [
          `unknown key ${JSON.stringify(key).slice(0, 20)}`,
          insertAt(fields, at, [key, value]),
        ]),
    );
    const itemAt = fields.findIndex((e) => e[0] === 'item' && typeof e[1] !== 'string');
    if (nested && itemAt >= 0) {
      const item = fields[itemAt]![1] as Fields;
      options.push(
        mutations(ITEM_KEYS, false)(item).map(([kind, mutated]): [string, Fields] => [`item: ${kind}`, replaceAt(fields, itemAt, mutated)]),
      );
    }
    return fc.oneof(...options);
  };
}
