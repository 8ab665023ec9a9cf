'use strict';
/**
 * The settings serverless.yml and its plugins read, under the same names and with the same fallbacks to old
 * unprefixed names as the functions and tools (shared/config.ts; the table is shared/renamedSettings.json).
 * serverless.yml addresses them as `${file(./scripts/serverless/settings.cjs):env.LOCKLESS_...}`; an unset one
 * is undefined there, so the YAML's own default applies.
 */
const renamed = require('../../shared/renamedSettings.json');

/** A setting by its LOCKLESS_ name, else by its old name; empty counts as unset. */
function setting(name, env = process.env) {
  const old = renamed[name];
  return env[name] || (old ? env[old] : undefined) || undefined;
}

/** Every renamed setting, resolved from this process's environment. */
const env = Object.fromEntries(Object.keys(renamed).map((name) => [name, setting(name)]));

module.exports = { setting, env };
