// Where webhooks may POST (issue 12.9): never to loopback, private, link-local (cloud metadata at
// 169.254.169.254 included), CGNAT, multicast, reserved or documentation addresses, IPv4 or IPv6
// (IPv4-mapped and NAT64/6to4-embedded IPv4 are checked as the IPv4 they carry). The check runs on
// the addresses a name resolves to, when a subscription is created and again inside every
// delivery's connect (the socket uses the address that was checked, so a DNS answer that changes
// between the two, "DNS rebinding", cannot slip through). On-premise receivers are allowed by
// WEBHOOK_ALLOWED_HOSTS: host names and/or CIDRs, comma-separated.
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const FORBIDDEN_V4 = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const;
const FORBIDDEN_V6 = [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const;

const forbidden = new BlockList();
for (const [net, prefix] of FORBIDDEN_V4) forbidden.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of FORBIDDEN_V6) forbidden.addSubnet(net, prefix, 'ipv6');

/** The 16 bytes of an IPv6 address. */
function v6Bytes(address: string): number[] | null {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const parts = v4Tail[1]!.split('.').map(Number);
    text = text.slice(0, -v4Tail[1]!.length) + `${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return null;
  return groups.flatMap((g) => {
    const n = parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
}

/** An IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16). */
export function embeddedIPv4(address: string): string | null {
  const b = v6Bytes(address);
  if (!b) return null;
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => b.slice(at, at + 4).join('.');
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12);
  if (zero(0, 12) && !(b[12] === 0 && b[13] === 0 && b[14] === 0 && (b[15] ?? 0) <= 1)) return v4(12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return v4(12);
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2);
  return null;
}

export interface TargetPolicy {
  /** Host names allowed whatever they resolve to (lower case). */
  hosts: Set<string>;
  /** Addresses allowed although in a forbidden range. */
  allowed: BlockList;
  /** True when no CIDR was given (skips the allow-list check). */
  noCidrs: boolean;
}

/** WEBHOOK_ALLOWED_HOSTS: "hooks.internal.example, 10.20.0.0/16, 127.0.0.1" (names, addresses, CIDRs). */
export function parseTargetPolicy(setting: string | undefined): TargetPolicy {
  const policy: TargetPolicy = { hosts: new Set(), allowed: new BlockList(), noCidrs: true };
  for (const raw of (setting ?? '').split(',')) {
    const item = raw.trim().toLowerCase().replace(/^\[|\]$/g, '');
    if (!item) continue;
    const [net, bits] = item.split('/');
    const family = isIP(net ?? '');
    if (family) {
      const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`WEBHOOK_ALLOWED_HOSTS: bad CIDR ${raw.trim()}`);
      policy.allowed.addSubnet(net!, prefix, family === 4 ? 'ipv4' : 'ipv6');
      policy.noCidrs = false;
    } else {
      policy.hosts.add(item);
    }
  }
  return policy;
}

/** Why an address may not be a webhook target, or null when it may. */
export function refusedAddress(address: string, policy: TargetPolicy): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (!policy.noCidrs && policy.allowed.check(address, type)) return null;
  const carried = family === 6 ? embeddedIPv4(address) : null;
  if (carried) {
    if (!policy.noCidrs && policy.allowed.check(carried, 'ipv4')) return null;
    if (forbidden.check(carried, 'ipv4')) return `${address} carries the internal address ${carried}`;
  }
  return forbidden.check(address, type) ? `${address} is an internal address` : null;
}

export class WebhookTargetRefused extends Error {
  readonly code = 'target_refused';
  constructor(detail: string) {
    super(detail);
    this.name = 'WebhookTargetRefused';
  }
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;
export const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/** The checked addresses of a URL's host: every one must be allowed (a name resolving to one internal address is refused). */
export async function resolveTarget(url: string | URL, policy: TargetPolicy, lookup: Lookup = systemLookup): Promise<{ address: string; family: number }[]> {
  const u = typeof url === 'string' ? new URL(url) : url;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const literal = isIP(host);
  let addresses: { address: string; family: number }[];
  try {
    addresses = literal ? [{ address: host, family: literal }] : await lookup(host);
  } catch (error) {
    // An allowed name that does not resolve is refused too (it was a 500 before).
    throw new WebhookTargetRefused(`${host} does not resolve (${(error as { code?: string }).code ?? 'lookup failed'})`);
  }
  if (addresses.length === 0) throw new WebhookTargetRefused(`${host} does not resolve`);
  if (!literal && policy.hosts.has(host)) return addresses;
  for (const a of addresses) {
    const why = refusedAddress(a.address, policy);
    if (why) throw new WebhookTargetRefused(`${host}: ${why}`);
  }
  return addresses;
}
