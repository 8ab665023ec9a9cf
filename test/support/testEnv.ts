// The AWS SDK warns once per process that its releases after January 2027 need Node 22. Local tools and tests
// run on the machine's Node 20 (deployments run on Node 22, see serverless.yml); the warning says nothing
// about a test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// One info line per request drowns the test output; warnings and errors still show.
process.env.LOCKLESS_LOG_LEVEL ??= 'warn';
