'use strict';
/**
 * Serverless Framework v3 (the last version that runs without a login) predates Lambda's nodejs22.x runtime, and
 * its configuration schema rejects the name with a warning on every command. Node 20 reached end of life in
 * April 2026, so lockless deploys on Node 22: this plugin only adds the runtime name to v3's schema.
 */
class Node22Runtime {
  constructor(serverless) {
    const runtimes = serverless.configSchemaHandler?.schema?.definitions?.awsLambdaRuntime?.enum;
    if (Array.isArray(runtimes) && !runtimes.includes('nodejs22.x')) runtimes.push('nodejs22.x');
  }
}

module.exports = Node22Runtime;
