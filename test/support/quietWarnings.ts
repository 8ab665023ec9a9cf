// The AWS SDK warns on every client creation that releases after January 2027 will need Node 22. The project
// runs on Node 20 (Lambda nodejs20.x); the warning says nothing about a test, so keep it out of the output.
const emit = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (/NodeVersionSupportWarning|require node >=22/.test(text) || (rest[0] as { type?: string } | undefined)?.type === 'NodeVersionSupportWarning') return;
  (emit as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
