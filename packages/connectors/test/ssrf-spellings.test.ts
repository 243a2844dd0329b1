import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreExecutors } from '../src/index';
import { makeCtx, startServer, type TestServer } from './helpers';

/**
 * Security suite, SSRF: the HTTP node refuses private, loopback, link-local and metadata addresses in
 * every spelling a URL parser or resolver accepts, directly and behind a redirect, before a byte is sent.
 */
let target: TestServer;
let port: number;

beforeAll(async () => {
  target = await startServer((req, res) => {
    if (req.url?.startsWith('/to/')) {
      res.writeHead(302, { Location: decodeURIComponent(req.url.slice(4)) });
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"reached":true}');
  });
  port = Number(new URL(target.baseUrl).port);
});
afterAll(async () => {
  await target.close();
});

const strict = () => createCoreExecutors({ outboundAllowlist: '' })['http.request'];

// host as written in the URL → the class of address the refusal must name.
const SPELLINGS: Array<[string, RegExp]> = [
  ['127.0.0.1', /loopback/],
  ['2130706433', /loopback/], // decimal
  ['0x7f000001', /loopback/], // hex
  ['0x7f.0.0.1', /loopback/], // hex octet
  ['0177.0.0.1', /loopback/], // octal
  ['017700000001', /loopback/], // octal, one number
  ['127.1', /loopback/], // short form
  ['127.000.000.001', /loopback/],
  ['[::1]', /loopback/],
  ['[0:0:0:0:0:0:0:1]', /loopback/],
  ['[::ffff:127.0.0.1]', /loopback/], // IPv4-mapped IPv6
  ['[::ffff:7f00:1]', /loopback/],
  ['0.0.0.0', /unspecified/],
  ['0', /unspecified/],
  ['[::]', /unspecified/],
  ['localhost', /loopback/],
  ['169.254.169.254', /cloud metadata/],
  ['2852039166', /cloud metadata/],
  ['0xa9fea9fe', /cloud metadata/],
  ['0251.0376.0251.0376', /cloud metadata/],
  ['[::ffff:169.254.169.254]', /cloud metadata/],
  ['[fd00:ec2::254]', /cloud metadata/],
  ['10.0.0.1', /private/],
  ['172.31.255.1', /private/],
  ['192.168.0.1', /private/],
  ['[::ffff:10.0.0.1]', /private/],
  ['[fd12:3456::1]', /unique-local/],
  ['[fe80::1]', /link-local/],
  ['100.64.0.1', /carrier-grade/],
];

describe('SSRF: the HTTP node refuses internal addresses in every spelling', () => {
  it.each(SPELLINGS)('refuses http://%s', async (host, reason) => {
    const before = target.requests.length;
    const err: unknown = await strict()(makeCtx(), { method: 'GET', url: `http://${host}:${port}/secret` }, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'outbound_blocked', retryable: false });
    expect((err as Error).message).toMatch(reason);
    expect(target.requests.length).toBe(before);
  });

  it.each(['http://169.254.169.254/latest/meta-data/', 'http://[::1]:8080/', 'http://10.0.0.1/', 'http://0x7f000001:8080/'])(
    'refuses a redirect from an allowed server to %s',
    async (location) => {
      // The test server itself is allowlisted; where it redirects to is checked again.
      const http = createCoreExecutors({ outboundAllowlist: `127.0.0.1:${port}` })['http.request'];
      const err: unknown = await http(makeCtx(), { method: 'GET', url: `${target.baseUrl}/to/${encodeURIComponent(location)}` }, {}).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'outbound_blocked', retryable: false });
    },
  );

  it('does not leak the refused address into the step output as a response', async () => {
    const err: unknown = await strict()(makeCtx(), { method: 'GET', url: 'http://169.254.169.254/latest/meta-data/iam/' }, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(JSON.stringify(err)).not.toContain('reached');
  });
});
