import { lookup as dnsLookup } from 'node:dns/promises';
import { Agent, buildConnector } from 'undici';
import { blockedReason, canonicalIp, parseIp, type OutboundAllowlist } from './address-policy';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has; injectable so tests can play DNS rebinding. */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Thrown from the connect step; callers turn it into a permanent step error that names the host. */
export class OutboundBlockedError extends Error {
  readonly code = 'ERR_OUTBOUND_BLOCKED';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    const via = canonicalIp(host) === address ? '' : ` (${address})`;
    super(
      `refused to connect to ${host}${via}: it is ${reason}. Calls to internal addresses are blocked; ` +
        'a platform operator can allow the host in SWITCHYARD_OUTBOUND_ALLOWLIST',
    );
    this.name = 'OutboundBlockedError';
  }
}

export interface GuardOptions {
  allowlist: OutboundAllowlist;
  lookup?: HostLookup;
}

/**
 * Chooses the address to connect to: every resolved address is checked and the socket is opened to
 * the checked address itself, so a name that resolves to a public address for a pre-check and to
 * 169.254.169.254 a moment later (DNS rebinding) cannot slip through between check and connect.
 */
export async function chooseAddress(hostname: string, port: number, opts: GuardOptions): Promise<string> {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const hostAllowed = opts.allowlist.allowsHost(host, port);
  if (parseIp(host)) {
    const reason = blockedReason(host);
    if (reason && !hostAllowed && !opts.allowlist.allowsAddress(host)) throw new OutboundBlockedError(host, canonicalIp(host) ?? host, reason);
    // Connect to the canonical spelling: net.connect does not understand octal or hex IPv4.
    return canonicalIp(host) ?? host;
  }
  const resolved = await (opts.lookup ?? systemLookup)(host);
  if (resolved.length === 0) throw Object.assign(new Error(`DNS lookup of ${host} returned no addresses`), { code: 'ENOTFOUND' });
  let firstRefusal: OutboundBlockedError | undefined;
  for (const { address } of resolved) {
    const reason = blockedReason(address);
    if (!reason || hostAllowed || opts.allowlist.allowsAddress(address)) return canonicalIp(address) ?? address;
    firstRefusal ??= new OutboundBlockedError(host, canonicalIp(address) ?? address, reason);
  }
  throw firstRefusal as OutboundBlockedError;
}

export interface GuardedAgentOptions extends GuardOptions {
  connectTimeoutMs?: number;
}

/** An undici dispatcher whose every new connection goes through `chooseAddress`. */
export function createGuardedAgent(opts: GuardedAgentOptions): Agent {
  const connect = buildConnector({ timeout: opts.connectTimeoutMs ?? 10_000 });
  return new Agent({
    connect: (options, callback) => {
      const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
      chooseAddress(options.hostname, port, opts).then(
        // `host` keeps the name, so TLS still verifies the certificate for it (SNI) and Host is unchanged.
        (address) => connect({ ...options, hostname: address }, callback),
        (err: Error) => callback(err, null),
      );
    },
  });
}
