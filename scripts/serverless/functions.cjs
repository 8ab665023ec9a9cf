'use strict';
/**
 * The deployed functions and their roles, from one table of operations. Plain CommonJS so serverless.yml can
 * load it:
 *
 *   functions: ${file(./scripts/serverless/functions.cjs):functions}
 *
 * One operation is two Lambda functions, one per transport, so that the transport is a fact of the deployment
 * and never of the event (issue 10):
 * - `<op>Http` runs `httpHandler` and is the only one with an `httpApi` event. Serverless gives it a resource
 *   policy that lets `apigateway.amazonaws.com` invoke it from this API; nothing else may be granted
 *   `lambda:InvokeFunction` on it (docs/identity.md, "Who may invoke what").
 * - `<op>` runs `handler`, the direct-invocation entry: identity comes from the invocation context alone.
 *
 * Both functions of an operation run the same code and share one role holding only that operation's item
 * actions on its own tables, plus writing its own log groups.
 */
const { setting } = require('./settings.cjs');

/**
 * Every operation: its route, whether it needs a verified identity, and the DynamoDB item actions it calls on
 * each table (TransactWriteItems is authorised through the Put/Update/ConditionCheck actions of its parts).
 */
const OPERATIONS = {
  getProduct: { method: 'GET', path: '/products/{id}', public: true, tables: { products: ['GetItem'] } },
  purchase: {
    method: 'POST',
    path: '/products/{id}/purchase',
    tables: {
      products: ['GetItem', 'UpdateItem'],
      orders: ['GetItem', 'PutItem'],
      idempotency: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
      allowances: ['PutItem', 'UpdateItem'],
    },
  },
  getOrder: { method: 'GET', path: '/orders/{orderNo}', tables: { orders: ['GetItem'] } },
  // Query reads the orders' byUser index (shared/collections.json): granted on the table's indexes.
  listOrders: { method: 'GET', path: '/orders', tables: { orders: ['Query'] } },
  transfer: {
    method: 'POST',
    path: '/transfers',
    tables: { accounts: ['UpdateItem'], ledger: ['PutItem'], idempotency: ['GetItem', 'PutItem', 'UpdateItem'] },
  },
  getAccount: { method: 'GET', path: '/accounts/{id}', tables: { accounts: ['GetItem'] } },
  // The order lifecycle (shared/operations/orderTransitions.ts). `admin`: the function refuses non-admins (403).
  payOrder: {
    method: 'POST',
    path: '/orders/{orderNo}/pay',
    tables: {
      orders: ['GetItem', 'UpdateItem'],
      accounts: ['UpdateItem'],
      ledger: ['PutItem'],
      idempotency: ['GetItem', 'PutItem', 'UpdateItem'],
    },
  },
  cancelOrder: {
    method: 'POST',
    path: '/orders/{orderNo}/cancel',
    tables: { orders: ['GetItem', 'UpdateItem'], products: ['UpdateItem'], allowances: ['UpdateItem'] },
  },
  shipOrder: { method: 'POST', path: '/orders/{orderNo}/ship', admin: true, tables: { orders: ['GetItem', 'UpdateItem'] } },
  refundOrder: {
    method: 'POST',
    path: '/orders/{orderNo}/refund',
    admin: true,
    tables: {
      orders: ['GetItem', 'UpdateItem'],
      accounts: ['UpdateItem'],
      ledger: ['PutItem'],
      products: ['UpdateItem'],
      allowances: ['UpdateItem'],
    },
  },
  // With an Idempotency-Key, a cart change reads the cart and commits with its claim (cartChanges.ts).
  addCartItem: {
    method: 'POST',
    path: '/carts/{id}/items',
    tables: { carts: ['GetItem', 'PutItem', 'UpdateItem'], products: ['GetItem'], idempotency: ['GetItem', 'PutItem', 'UpdateItem'] },
  },
  removeCartItem: {
    method: 'DELETE',
    path: '/carts/{id}/items/{itemId}',
    tables: { carts: ['GetItem', 'UpdateItem'], idempotency: ['GetItem', 'PutItem', 'UpdateItem'] },
  },
  getCart: { method: 'GET', path: '/carts/{id}', tables: { carts: ['GetItem'] } },
  // The catalog (admin routes: the handlers refuse non-admins; the authorizer only verifies the token).
  createProduct: { method: 'POST', path: '/products', tables: { products: ['PutItem'] } },
  editProduct: { method: 'PATCH', path: '/products/{id}', tables: { products: ['GetItem', 'UpdateItem'] } },
  restock: {
    method: 'POST',
    path: '/products/{id}/restock',
    tables: { products: ['UpdateItem'], idempotency: ['GetItem', 'PutItem', 'UpdateItem'] },
  },
  // Lottery rounds (issue 12). createRound and drawRound are admin routes: the JWT authorizer, then the handler's admin check.
  createRound: {
    method: 'POST',
    path: '/rounds',
    tables: { rounds: ['PutItem'], accounts: ['PutItem'], roundQueue: ['PutItem'] },
  },
  getRound: { method: 'GET', path: '/rounds/{id}', public: true, tables: { rounds: ['GetItem'] } },
  enterRound: {
    method: 'POST',
    path: '/rounds/{id}/entries',
    tables: {
      rounds: ['GetItem', 'UpdateItem'],
      roundHoldings: ['GetItem', 'PutItem', 'UpdateItem'],
      roundEntries: ['PutItem'],
      roundQueue: ['UpdateItem'],
      accounts: ['UpdateItem'],
      ledger: ['PutItem'],
      idempotency: ['GetItem', 'PutItem', 'UpdateItem'],
    },
  },
  drawRound: {
    method: 'POST',
    path: '/rounds/{id}/draw',
    tables: {
      rounds: ['GetItem', 'UpdateItem'],
      roundEntries: ['GetItem'],
      roundQueue: ['UpdateItem'],
      accounts: ['UpdateItem'],
      ledger: ['PutItem'],
    },
  },
  // Admin routes (access 'admin' in the handler: an admin JWT or a trusted server's admin assertion).
  batchAdjust: {
    method: 'POST',
    path: '/accounts/batch-adjust',
    tables: { accounts: ['UpdateItem'], ledger: ['GetItem', 'PutItem'], batches: ['GetItem', 'PutItem', 'UpdateItem'] },
  },
  resetFreeEntries: {
    method: 'POST',
    path: '/maintenance/reset-free-entries',
    tables: { leases: ['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'], maintenance: ['GetItem', 'PutItem', 'UpdateItem'] },
  },
};

/** The union of several operations' table actions, each action once. */
function mergedTables(...specs) {
  const out = {};
  for (const spec of specs) {
    for (const [table, actions] of Object.entries(spec)) out[table] = [...new Set([...(out[table] || []), ...actions])];
  }
  return out;
}

/**
 * Scheduled functions: no route and no direct caller; EventBridge invokes them on their schedule. `maintenance`
 * runs shared/maintenance.ts's tasks: the reconciler of lost takes (issue 9), order expiry (issue 11), lottery draws
 * and the daily free-entry reset (issue 12). Scan lists the products and orders; the reconciler reads and voids order
 * numbers and gives units back on the product.
 */
const SCHEDULED = {
  maintenance: {
    schedule: 'rate(1 minute)',
    // Its own reads and writes, and those of the operations its tasks run: expiring an order is a cancellation
    // by the clock (Query finds them on the orders' statusExpiresAt index), draws and the daily reset as their routes.
    tables: mergedTables(
      { products: ['GetItem', 'UpdateItem', 'Scan'], orders: ['GetItem', 'PutItem', 'Scan', 'Query'] },
      OPERATIONS.cancelOrder.tables,
      OPERATIONS.drawRound.tables,
      OPERATIONS.resetFreeEntries.tables,
    ),
  },
};

/** The suffix of the API Gateway function of an operation. */
const HTTP_SUFFIX = 'Http';

const capitalised = (name) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/** `transfer` → `TransferRole`. */
function roleLogicalId(operation) {
  return `${capitalised(operation)}Role`;
}

/** `products` → `ProductsTable` (scripts/serverless/tables.cjs names the tables this way). */
function tableLogicalId(collection) {
  return `${capitalised(collection)}Table`;
}

/** The JWT authorizer's scopes from LOCKLESS_JWT_AUTHORIZATION_SCOPES (comma or space separated); none when unset. */
function authorizationScopes(env = process.env) {
  return String(setting('LOCKLESS_JWT_AUTHORIZATION_SCOPES', env) || '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

function httpEvent(_operation, spec, env) {
  const scopes = authorizationScopes(env);
  const authorizer = spec.public ? {} : { authorizer: { name: 'jwtAuth', ...(scopes.length > 0 ? { scopes } : {}) } };
  return { httpApi: { method: spec.method, path: spec.path, ...authorizer } };
}

/**
 * Reserved concurrency per function from LOCKLESS_RESERVED_CONCURRENCY, e.g. `transferHttp=50,transfer=10`
 * (function keys as in this block); functions not named get none reserved.
 */
function reservedConcurrency(env) {
  const out = {};
  for (const entry of String(env.LOCKLESS_RESERVED_CONCURRENCY || '')
    .split(/[\s,]+/)
    .filter(Boolean)) {
    const [key, value] = entry.split('=');
    const n = Number(value);
    if (!key || !Number.isSafeInteger(n) || n < 0)
      throw new Error(`LOCKLESS_RESERVED_CONCURRENCY: ${JSON.stringify(entry)} is not <function>=<count>`);
    out[key] = n;
  }
  return out;
}

/** The `functions:` block: `<op>` (direct) and `<op>Http` (API Gateway) for every operation. */
function functionsFor(env) {
  const out = {};
  for (const [operation, spec] of Object.entries(OPERATIONS)) {
    // The bundles' folder: dist/, or LOCKLESS_DIST_DIR (esbuild.config.mjs), which tests set to build apart.
    const dist = env.LOCKLESS_DIST_DIR || 'dist';
    const common = { role: roleLogicalId(operation), package: { patterns: [`${dist}/${operation}/**`] } };
    out[operation] = { handler: `${dist}/${operation}/index.handler`, ...common };
    out[`${operation}${HTTP_SUFFIX}`] = {
      handler: `${dist}/${operation}/index.httpHandler`,
      ...common,
      events: [httpEvent(operation, spec, env)],
    };
  }
  for (const [name, spec] of Object.entries(SCHEDULED)) {
    const dist = env.LOCKLESS_DIST_DIR || 'dist';
    out[name] = {
      handler: `${dist}/${name}/index.handler`,
      role: roleLogicalId(name),
      package: { patterns: [`${dist}/${name}/**`] },
      events: [{ schedule: spec.schedule }],
    };
  }
  const reserved = reservedConcurrency(env);
  for (const [key, count] of Object.entries(reserved)) {
    if (!out[key]) throw new Error(`LOCKLESS_RESERVED_CONCURRENCY names ${key}, which is not a function (${Object.keys(out).join(', ')})`);
    out[key].reservedConcurrency = count;
  }
  return out;
}

/** The log group ARN (and its streams) of one deployed function. */
function logGroupArn(stage, functionKey) {
  return {
    'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/lockless-${stage}-${functionKey}:*`,
  };
}

/** The ARN of a SecureString parameter given by name (with or without its leading slash). */
function parameterArn(name) {
  const path = name.startsWith('/') ? name.slice(1) : name;
  return { 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${path}` };
}

/**
 * One IAM role per operation: its item actions on its own tables, its log groups, and reading the secret
 * parameters the functions are configured with (shared/edge/secrets.ts).
 */
function roles(stage, parameters = []) {
  const out = {};
  for (const [operation, spec] of Object.entries({ ...OPERATIONS, ...SCHEDULED })) {
    // Item actions on the table; Query (the port's `list`) on the table's indexes only, never a scan of the table.
    const statements = Object.entries(spec.tables).flatMap(([collection, actions]) => {
      const arn = { 'Fn::GetAtt': [tableLogicalId(collection), 'Arn'] };
      const items = actions.filter((action) => action !== 'Query');
      return [
        ...(items.length > 0 ? [{ Effect: 'Allow', Action: items.map((a) => `dynamodb:${a}`), Resource: [arn] }] : []),
        ...(actions.includes('Query')
          ? [{ Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [{ 'Fn::Join': ['', [arn, '/index/*']] }] }]
          : []),
      ];
    });
    statements.push({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: SCHEDULED[operation]
        ? [logGroupArn(stage, operation)]
        : [logGroupArn(stage, operation), logGroupArn(stage, `${operation}${HTTP_SUFFIX}`)],
    });
    if (parameters.length > 0) {
      statements.push({ Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: parameters.map(parameterArn) });
    }
    out[roleLogicalId(operation)] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
        },
        Policies: [{ PolicyName: `lockless-${stage}-${operation}`, PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
      },
    };
  }
  return out;
}

module.exports = {
  OPERATIONS,
  SCHEDULED,
  HTTP_SUFFIX,
  // Serverless calls a function property of a `file()` source with its own context: the block is read from
  // the environment of the `serverless` command.
  functions: () => functionsFor(process.env),
  functionsFor,
  roles,
  roleLogicalId,
  authorizationScopes,
};
