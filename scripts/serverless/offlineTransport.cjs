'use strict';
/**
 * serverless-offline's stand-in for the HTTP functions' resource policy. In AWS only API Gateway may invoke an
 * `<op>Http` function (the one that trusts the JWT claims in its event): its resource policy admits
 * `apigateway.amazonaws.com` and no identity policy grants it to anyone else. serverless-offline has no IAM:
 * its Lambda port (3002) invokes any function by name. This plugin takes every function that has an HTTP event
 * off that port, so locally too an `<op>Http` function is reached through the HTTP API alone, and a direct
 * invocation can only reach the `<op>` functions, which take identity from the invocation context.
 *
 * It changes nothing outside `serverless offline`.
 */
class OfflineTransport {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:offline:start:init': () => this.hideGatewayFunctions(),
      'before:offline:start': () => this.hideGatewayFunctions(),
    };
  }

  /** The deployed names of the functions with an `http` or `httpApi` event. */
  gatewayFunctionNames() {
    const service = this.serverless.service;
    const names = new Set();
    for (const key of service.getAllFunctions()) {
      const events = service.getAllEventsInFunction(key) || [];
      if (events.some((event) => event.http || event.httpApi)) names.add(service.getFunction(key).name);
    }
    return names;
  }

  async hideGatewayFunctions() {
    const gatewayOnly = this.gatewayFunctionNames();
    // The very class serverless-offline instantiates (the package exports it as serverless-offline/lambda).
    const { default: Lambda } = await import('serverless-offline/lambda');
    if (Lambda.prototype.locklessGatewayOnly) {
      Lambda.prototype.locklessGatewayOnly = gatewayOnly;
      return;
    }
    Lambda.prototype.locklessGatewayOnly = gatewayOnly;
    const listFunctionNames = Lambda.prototype.listFunctionNames;
    const getByFunctionName = Lambda.prototype.getByFunctionName;
    // The Lambda port's Invoke refuses a name this list lacks (404 ResourceNotFoundException, as for a name
    // that does not exist); the HTTP API reaches functions by key, never through these two methods.
    Lambda.prototype.listFunctionNames = function listInvocable() {
      return listFunctionNames.call(this).filter((name) => !this.locklessGatewayOnly.has(name));
    };
    Lambda.prototype.getByFunctionName = function getInvocable(name) {
      if (this.locklessGatewayOnly.has(name)) throw new Error(`${name} may be invoked by API Gateway only`);
      return getByFunctionName.call(this, name);
    };
  }
}

module.exports = OfflineTransport;
