import net from "node:net";

/*
 * Addresses a multi-tenant server must not call on a tenant's behalf: loopback, private and link-local networks
 * (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, documentation and reserved ranges, and the IPv6
 * transition ranges that tunnel to arbitrary IPv4 (6to4, Teredo). A scrape target or webhook resolving to one of them
 * would let a tenant probe the service's own network (server-side request forgery).
 */
const BLOCKED = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24],
  ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) BLOCKED.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8], ["2001:db8::", 32],
  ["2001::", 32], ["2002::", 16], ["64:ff9b:1::", 48], ["100::", 64],
] as const) BLOCKED.addSubnet(network, prefix, "ipv6");

/** The eight 16-bit groups of an IPv6 literal (a dotted IPv4 tail included), or null if it is not one. */
function ipv6Groups(ip: string): number[] | null {
  if (!net.isIPv6(ip)) return null;
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4) {
    const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(":").filter(Boolean).map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  return tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}

/** True when `ip` (a literal IPv4 or IPv6 address) is not a public unicast address; non-addresses count as private. */
export function isPrivateAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 4) return BLOCKED.check(ip, "ipv4");
  if (family !== 6) return true;
  const g = ipv6Groups(ip)!;
  // Forms that reach the IPv4 address in their last 32 bits are judged by it: IPv4-mapped (::ffff:0:0/96),
  // IPv4-compatible (::/96) and NAT64 (64:ff9b::/96, where a public IPv4 host is a legitimate target).
  const first80Zero = g.slice(0, 5).every((x) => x === 0);
  const embedsV4 = (first80Zero && (g[5] === 0xffff || g[5] === 0)) || (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0));
  if (embedsV4 && !(first80Zero && g[5] === 0 && g[6] === 0 && g[7]! <= 1)) {
    return BLOCKED.check([g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join("."), "ipv4");
  }
  return BLOCKED.check(ip, "ipv6");
}
