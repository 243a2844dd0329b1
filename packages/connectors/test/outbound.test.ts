import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeExecutionError } from '@switchyard/workflow';
import { createCoreExecutors } from '../src/index';
import { blockedReason, parseOutboundAllowlist } from '../src/http/outbound/address-policy';
import { chooseAddress, OutboundBlockedError, type HostLookup } from '../src/http/outbound/guarded-agent';
import { createOutboundFetch } from '../src/http/outbound/outbound-fetch';
import { makeCtx, startServer, type TestServer } from './helpers';

let target: TestServer;
let hop: TestServer;
let port: number;

beforeAll(async () => {
  target = await startServer((req, res) => {
    if (req.url === '/loop') {
      res.writeHead(302, { Location: '/loop' });
      return res.end();
    }
    if (req.url?.startsWith('/to/')) {
      res.writeHead(req.url.includes('see-other') ? 303 : 302, { Location: decodeURIComponent(req.url.slice(4).replace(/\?.*$/, '')) });
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
  });
  hop = await startServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"hop":true}');
  });
  port = Number(new URL(target.baseUrl).port);
});
afterAll(async () => {
  await target.close();
  await hop.close();
});

const BLOCKED: Array<[string, RegExp]> = [
  ['127.0.0.1', /loopback/],
  ['127.1', /loopback/],
  ['0x7f.1', /loopback/],
  ['0x7f000001', /loopback/],
  ['2130706433', /loopback/],
  ['0177.0.0.1', /loopback/],
  ['::1', /loopback/],
  ['[::1]', /loopback/],
  ['::ffff:127.0.0.1', /loopback/],
  ['::ffff:7f00:1', /loopback/],
  ['0.0.0.0', /unspecified/],
  ['0', /unspecified/],
  ['::', /unspecified/],
  ['10.1.2.3', /private/],
  ['172.16.0.9', /private/],
  ['192.168.10.1', /private/],
  ['::ffff:192.168.0.1', /private/],
  ['169.254.169.254', /cloud metadata/],
  ['0xa9fea9fe', /cloud metadata/],
  ['2852039166', /cloud metadata/],
  ['::ffff:a9fe:a9fe', /cloud metadata/],
  ['fd00:ec2::254', /cloud metadata/],
  ['169.254.1.1', /link-local/],
  ['fe80::1', /link-local/],
  ['fe80::1%eth0', /link-local/],
  ['fc00::5', /unique-local/],
  ['fd12:3456::1', /unique-local/],
  ['100.64.0.1', /carrier-grade/],
  ['224.0.0.251', /multicast/],
  ['255.255.255.255', /broadcast/],
];

describe('address policy', () => {
  it.each(BLOCKED)('refuses %s', (address, reason) => {
    expect(blockedReason(address)).toMatch(reason);
  });

  it.each(['8.8.8.8', '151.101.1.69', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(blockedReason(address)).toBeUndefined();
  });

  it('parses the allowlist: host:port, bare addresses, CIDR ranges, and names bad entries', () => {
    const list = parseOutboundAllowlist(' 127.0.0.1, sim.internal:4100 ,10.20.0.0/16, [::1]:9000, ::1 ');
    expect(list.allowsAddress('127.0.0.1')).toBe(true);
    expect(list.allowsAddress('127.0.0.2')).toBe(false);
    expect(list.allowsAddress('10.20.99.1')).toBe(true);
    expect(list.allowsAddress('10.21.0.1')).toBe(false);
    expect(list.allowsAddress('::1')).toBe(true);
    expect(list.allowsHost('SIM.internal', 4100)).toBe(true);
    expect(list.allowsHost('sim.internal', 4101)).toBe(false);
    expect(list.allowsHost('0:0:0:0:0:0:0:1', 9000)).toBe(true);
    expect(() => parseOutboundAllowlist('10.0.0.0/99')).toThrow('outbound allowlist entry "10.0.0.0/99" is not a valid CIDR range (e.g. 10.0.0.0/8)');
    expect(() => parseOutboundAllowlist('sim.internal')).toThrow('outbound allowlist entry "sim.internal" must be host:port, an IP address or a CIDR range');
    expect(parseOutboundAllowlist(undefined).entries).toEqual([]);
  });
});

describe('connect-time check', () => {
  const empty = parseOutboundAllowlist('');

  it('checks every resolved address and connects to the address it checked (DNS rebinding)', async () => {
    let calls = 0;
    const rebinding: HostLookup = async () => (++calls === 1 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '169.254.169.254', family: 4 }]);
    expect(await chooseAddress('rebind.test', 80, { allowlist: empty, lookup: rebinding })).toBe('93.184.216.34');
    await expect(chooseAddress('rebind.test', 80, { allowlist: empty, lookup: rebinding })).rejects.toThrow(
      'refused to connect to rebind.test (169.254.169.254): it is a cloud metadata address',
    );
  });

  it('skips refused addresses of a name and connects to an allowed one, or refuses when none is', async () => {
    const mixed: HostLookup = async () => [
      { address: '10.0.0.8', family: 4 },
      { address: '93.184.216.34', family: 4 },
    ];
    expect(await chooseAddress('mixed.test', 443, { allowlist: empty, lookup: mixed })).toBe('93.184.216.34');
    const internal: HostLookup = async () => [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }];
    await expect(chooseAddress('internal.test', 443, { allowlist: empty, lookup: internal })).rejects.toBeInstanceOf(OutboundBlockedError);
    expect(await chooseAddress('internal.test', 443, { allowlist: parseOutboundAllowlist('127.0.0.0/8'), lookup: internal })).toBe('127.0.0.1');
    expect(await chooseAddress('internal.test', 443, { allowlist: parseOutboundAllowlist('internal.test:443'), lookup: internal })).toBe('::1');
  });
});

describe('http.request outbound safety', () => {
  const strict = createCoreExecutors({ outboundAllowlist: '' })['http.request'];

  it.each(['127.0.0.1', '0x7f.1', '2130706433', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]', 'localhost', '0.0.0.0'])(
    'refuses http://%s:<port> before anything is sent',
    async (host) => {
      const before = target.requests.length;
      const err: unknown = await strict(makeCtx(), { method: 'GET', url: `http://${host}:${port}/secret` }, {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NodeExecutionError);
      expect(err).toMatchObject({ code: 'outbound_blocked', retryable: false });
      expect((err as Error).message).toMatch(/refused to connect to .*: it is an? (loopback|unspecified) address/);
      expect(target.requests.length).toBe(before);
    },
  );

  it('allows an allowlisted address, and checks every redirect again', async () => {
    const lookup: HostLookup = async (name) => (name === 'partner.test' ? [{ address: '127.0.0.1', family: 4 }] : []);
    // Only partner.test:<port> is allowed; its redirect to the same server by address is not.
    const fetchImpl = createOutboundFetch({ allowlist: `partner.test:${port}`, lookup });
    const http = createCoreExecutors({ fetch: fetchImpl })['http.request'];
    const ok = await http(makeCtx(), { method: 'GET', url: `http://partner.test:${port}/hello` }, {});
    expect(ok.output).toMatchObject({ status: 200, body: { ok: true } });
    const redirected: unknown = await http(makeCtx(), { method: 'GET', url: `http://partner.test:${port}/to/${encodeURIComponent(`http://127.0.0.1:${port}/hello`)}` }, {}).catch((e: unknown) => e);
    expect(redirected).toMatchObject({ code: 'outbound_blocked', retryable: false });
    await fetchImpl.close();
  });

  it('stops after 5 redirects', async () => {
    const http = createCoreExecutors({ outboundAllowlist: '127.0.0.1' })['http.request'];
    const before = target.requests.length;
    const err: unknown = await http(makeCtx(), { method: 'GET', url: `${target.baseUrl}/loop` }, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'redirect_refused', retryable: false });
    expect((err as Error).message).toContain('stopped after 5 redirects');
    expect(target.requests.length - before).toBe(6);
  });

  it('drops credentials on a redirect to another origin and turns a 303 into a GET', async () => {
    const http = createCoreExecutors({ outboundAllowlist: '127.0.0.1' })['http.request'];
    const result = await http(
      makeCtx(),
      { method: 'POST', url: `${target.baseUrl}/to/${encodeURIComponent(`${hop.baseUrl}/landing`)}?see-other`, headers: { Authorization: 'Bearer planted-token-abc123' } },
      { a: 1 },
    );
    expect(result.output).toMatchObject({ status: 200, body: { hop: true } });
    const landed = hop.requests.at(-1)!;
    expect(landed.method).toBe('GET');
    expect(landed.headers.authorization).toBeUndefined();
    expect(landed.body).toBe('');
  });
});
