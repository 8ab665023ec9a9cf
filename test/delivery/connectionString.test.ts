/**
 * The MongoDB bundles parse connection strings with Node's built-in URL instead of the whatwg-url package
 * (esbuild.config.mjs, scripts/build/whatwgUrl.cjs), which drops tr46's Unicode tables. This checks that the
 * swap changes nothing a caller can see: every form below, the ones the project, its tests and its README use
 * and the ones a deployment may (Atlas SRV, replica sets, credentials that need escaping, IPv6, sockets), and
 * malformed ones, parse to the same ConnectionString, the same driver options and the same errors, with the
 * functions' esbuild options and with the packages as installed. The driver and the real server are exercised
 * on the bundles by delivery.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const URIS = [
  // What the project itself builds (tools/servers/mongod.ts, the tests, mongodb-memory-server).
  'mongodb://127.0.0.1:27017/?replicaSet=rs0',
  'mongodb://127.0.0.1:40123/?directConnection=true',
  'mongodb://127.0.0.1:40123/?replicaSet=testset',
  'mongodb://localhost',
  'mongodb://localhost/',
  'mongodb://localhost:27017/lockless',
  // Replica sets and options.
  'mongodb://db1.example.com:27017,db2.example.com:27018,db3.example.com/lockless?replicaSet=rs0&readPreference=secondaryPreferred&w=majority&retryWrites=true&authSource=admin',
  'mongodb://h1,h2/?replicaSet=rs0&readPreference=nearest&readPreferenceTags=dc:ny,rack:1&readPreferenceTags=dc:sf&maxStalenessSeconds=120',
  'mongodb://h1/?REPLICASET=rs0&WriteConcern=majority&wTimeoutMS=2500&journal=true',
  'mongodb://h1/?tls=true&tlsAllowInvalidHostnames=true&connectTimeoutMS=1000&socketTimeoutMS=2000&maxPoolSize=10&minPoolSize=0',
  'mongodb://h1/?appName=my%20app&compressors=zlib&zlibCompressionLevel=6',
  'mongodb://h1/?authMechanism=MONGODB-X509&tls=true',
  'mongodb://h1/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:mongodb,CANONICALIZE_HOST_NAME:true&authSource=$external',
  'mongodb://user@h1/?authMechanism=MONGODB-AWS&authSource=$external',
  'mongodb://h1/db?retryWrites=false&loadBalanced=false&directConnection=false',
  'mongodb://h1/db?unknownOption=1',
  'mongodb://h1/db#fragment',
  // Atlas and other SRV records (parsing only: no DNS lookup happens here).
  'mongodb+srv://cluster0.abcde.mongodb.net/lockless?retryWrites=true&w=majority&appName=Cluster0',
  'mongodb+srv://user:pass@cluster0.abcde.mongodb.net/?retryWrites=true&w=majority',
  'mongodb+srv://cluster0.example.com/?srvServiceName=custom&srvMaxHosts=2',
  'MONGODB+SRV://Cluster0.Example.COM/Lockless',
  // Credentials that need escaping, and Unicode in them.
  'mongodb://user:pass@h1/db',
  'mongodb://us%3Aer:p%40ss%2Fw%3Ard%25@h1:27017/db?authSource=admin',
  "mongodb://user:!$&'()*+,;=@h1/",
  'mongodb://user:p%23ss%3Fw%5Bo%5Drd@h1/',
  'mongodb://%E7%94%A8%E6%88%B7:%E5%AF%86%E7%A0%81@h1/',
  'mongodb://пользователь:пароль@h1/',
  'mongodb://user:pass%20word@h1/',
  'mongodb://user:@h1/',
  'mongodb://user@h1/',
  'mongodb://a+b:c~d_e.f-g@h1/',
  // IPv6 hosts, Unicode hosts, domain sockets.
  'mongodb://[::1]:27017/db',
  'mongodb://[::1]/',
  'mongodb://[2001:db8::1]:27018,[2001:db8::2]/?replicaSet=rs0',
  'mongodb://user:p%40ss@[fe80::1]:27017/admin',
  'mongodb://例え.テスト:27017/db',
  'mongodb://bücher.example/db',
  'mongodb://xn--bcher-kva.example/db',
  'mongodb://%2Ftmp%2Fmongodb-27017.sock/db',
  'mongodb://%2Ftmp%2Fmongodb-27017.sock,h2/db',
  'mongodb://H1.Example.COM:27017/DB',
  // Malformed: both must refuse, with the same error.
  'mongodb://',
  'mongodb://user@:pass@h1/',
  'mongodb://us:er:pass@h1/',
  'mongodb://user:pa@ss@h1/',
  'mongodb://@h1/',
  'mongodb://:pass@h1/',
  'mongodb+srv://h1,h2/',
  'mongodb+srv://h1:27017/',
  'mongodb://h1:99999/',
  'mongodb://h1:0/',
  'mongodb://h1:port/',
  'mongodb://h 1/',
  'mongodb://h1/?replicaSet=a&replicaSet=b',
  'mongodb://h1/?tls=maybe',
  'mongodb://h1/?w=majority&journal=nope',
  'mongodb://%E0%A4%A@h1/',
  'mongodb://h1/db?authMechanism=BOGUS',
  'http://h1/',
  'mongodb:/h1',
  '',
];

interface Description {
  connectionString: Record<string, unknown>;
  options: unknown;
  redacted: unknown;
}

describe('connection strings in the MongoDB bundles (Node URL in place of whatwg-url)', () => {
  let parsed: { inputs: string[]; results: Array<{ uri: string; installed: Description; bundled: Description }> };
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lockless-connection-strings-'));
    const { stdout } = await run(process.execPath, [join(__dirname, 'parseConnectionStrings.mjs'), dir, JSON.stringify(URIS)], {
      maxBuffer: 64 * 1024 * 1024,
    });
    parsed = JSON.parse(stdout);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('bundles neither whatwg-url nor tr46 and its helpers', () => {
    expect(parsed.inputs.some((file) => file.includes('mongodb-connection-string-url'))).toBe(true);
    expect(parsed.inputs.filter((file) => /node_modules\/(whatwg-url|tr46|webidl-conversions|punycode)\//.test(file))).toEqual([]);
  });

  it.each(URIS.map((uri) => [uri]))('parses %j exactly as whatwg-url does', (uri) => {
    const result = parsed.results.find((r) => r.uri === uri)!;
    expect(result.bundled).toEqual(result.installed);
  });

  it('reads what the project relies on: hosts, replica set, credentials, IPv6', () => {
    // The comparisons above would also pass if both sides failed alike; these pin down the forms that must work.
    const of = (uri: string) => parsed.results.find((r) => r.uri === uri)!.bundled;
    expect(of('mongodb://127.0.0.1:27017/?replicaSet=rs0').connectionString).toMatchObject({
      hosts: ['127.0.0.1:27017'],
      searchParams: [['replicaSet', 'rs0']],
    });
    expect(of('mongodb://us%3Aer:p%40ss%2Fw%3Ard%25@h1:27017/db?authSource=admin').options).toMatchObject({
      credentials: { username: 'us:er', password: 'p@ss/w:rd%', source: 'admin' },
      dbName: 'db',
    });
    expect(of('mongodb://[2001:db8::1]:27018,[2001:db8::2]/?replicaSet=rs0').options).toMatchObject({
      hosts: [
        { host: '2001:db8::1', port: 27018, isIPv6: true },
        { host: '2001:db8::2', port: 27017, isIPv6: true },
      ],
      replicaSet: 'rs0',
    });
    expect(of('mongodb+srv://cluster0.abcde.mongodb.net/lockless?retryWrites=true&w=majority&appName=Cluster0').options).toMatchObject({
      srvHost: 'cluster0.abcde.mongodb.net',
      appName: 'Cluster0',
      dbName: 'lockless',
    });
    expect(of('mongodb+srv://h1,h2/').connectionString).toEqual({
      threw: 'MongoParseError: mongodb+srv URI cannot have multiple service names',
    });
  });
});
