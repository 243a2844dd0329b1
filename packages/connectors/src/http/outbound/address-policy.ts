import ipaddr from 'ipaddr.js';

/**
 * Which addresses user-configured HTTP calls may reach. Workflows are written by tenant admins, so an
 * `http.request` (or a connection's base URL) pointed at 169.254.169.254, a database on 10.0.0.5 or
 * the worker's own loopback would turn the platform into a proxy into its own network (SSRF). Only
 * public unicast addresses are allowed, unless the platform operator allowlists an address range or a
 * host:port (the embedded demo allowlists its loopback simulators).
 */

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '169.254.170.2', '100.100.100.200']);

const RANGE_WORDS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  private: 'a private-network address',
  reserved: 'a reserved address',
  uniqueLocal: 'a unique-local (private) IPv6 address',
  benchmarking: 'a benchmarking address',
  amt: 'a reserved (AMT) address',
  as112: 'a reserved (AS112) address',
  as112v6: 'a reserved (AS112) address',
  rfc6145: 'an IPv4-translated address',
  rfc6052: 'a NAT64 address',
  '6to4': 'a 6to4 tunnel address',
  teredo: 'a Teredo tunnel address',
  orchid2: 'a reserved (ORCHID) address',
  droneRemoteIdProtocolEntityTags: 'a reserved address',
  deprecatedSiteLocal: 'a site-local address',
  discard: 'a discard-only address',
  segmentRouting: 'a segment-routing address',
};

/** Parses an IP literal in any spelling ipaddr.js knows (dotted, octal, hex, single number, IPv6, bracketed). */
export function parseIp(text: string): Parsed | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // Zone ids (fe80::1%eth0) name an interface of this machine: never a public destination.
  const unzoned = bare.includes('%') ? bare.slice(0, bare.indexOf('%')) : bare;
  if (!ipaddr.isValid(unzoned)) return undefined;
  try {
    // process() turns IPv4-mapped IPv6 (::ffff:7f00:1) back into the IPv4 address it carries.
    return ipaddr.process(unzoned);
  } catch {
    return undefined;
  }
}

/** Why an address may not be called, or undefined for a public unicast address. */
export function blockedReason(address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip) return 'not an IP address';
  const normalized = ip.toNormalizedString();
  const canonical = ip.kind() === 'ipv6' ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString();
  if (METADATA_ADDRESSES.has(canonical) || METADATA_ADDRESSES.has(normalized)) return 'a cloud metadata address';
  const range = ip.range();
  if (range === 'unicast') return undefined;
  return RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
}

export function canonicalIp(address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip) return undefined;
  return ip.kind() === 'ipv6' ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString();
}

interface HostPortEntry {
  host: string;
  port: number;
}

/** The platform allowlist: `host:port` entries and address ranges (CIDR, or a bare IP meaning that one address). */
export interface OutboundAllowlist {
  readonly entries: readonly string[];
  /** True when this host (as written in the URL, lower-case) and port are explicitly allowed. */
  allowsHost(host: string, port: number): boolean;
  /** True when the resolved address is inside an allowed range (any port). */
  allowsAddress(address: string): boolean;
}

export class AllowlistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AllowlistError';
  }
}

/**
 * Parses `SWITCHYARD_OUTBOUND_ALLOWLIST`: comma-separated `host:port`, `[v6]:port`, `10.0.0.0/8`,
 * `127.0.0.1` or `::1`. A malformed entry throws, naming it, so bad configuration stops start-up.
 */
export function parseOutboundAllowlist(raw: string | readonly string[] | undefined): OutboundAllowlist {
  const items = (typeof raw === 'string' ? raw.split(',') : (raw ?? [])).map((s) => s.trim()).filter((s) => s.length > 0);
  const hosts: HostPortEntry[] = [];
  const ranges: Array<[Parsed, number]> = [];
  for (const item of items) {
    if (item.includes('/')) {
      if (!ipaddr.isValidCIDR(item)) throw new AllowlistError(`outbound allowlist entry ${JSON.stringify(item)} is not a valid CIDR range (e.g. 10.0.0.0/8)`);
      ranges.push(ipaddr.parseCIDR(item));
      continue;
    }
    const ip = parseIp(item);
    if (ip) {
      ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
      continue;
    }
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(item);
    const port = match ? Number(match[2]) : Number.NaN;
    if (!match || port < 1 || port > 65535) {
      throw new AllowlistError(`outbound allowlist entry ${JSON.stringify(item)} must be host:port, an IP address or a CIDR range`);
    }
    const host = (match[1] as string).toLowerCase();
    const hostIp = parseIp(host);
    hosts.push({ host: hostIp ? (canonicalIp(host) as string) : host, port });
  }
  return {
    entries: items,
    allowsHost(host, port) {
      const key = canonicalIp(host) ?? host.toLowerCase();
      return hosts.some((h) => h.host === key && h.port === port);
    },
    allowsAddress(address) {
      const ip = parseIp(address);
      if (!ip) return false;
      return ranges.some(([base, bits]) => base.kind() === ip.kind() && ip.match(base, bits));
    },
  };
}

export const EMPTY_ALLOWLIST: OutboundAllowlist = parseOutboundAllowlist([]);

/** The allowlist from the environment (`SWITCHYARD_OUTBOUND_ALLOWLIST`); empty when unset. */
export function allowlistFromEnv(env: Record<string, string | undefined> = process.env): OutboundAllowlist {
  return parseOutboundAllowlist(env.SWITCHYARD_OUTBOUND_ALLOWLIST);
}
