import net from "node:net";

/*
 * Addresses a multi-tenant server must not fetch on a tenant's behalf: loopback, private and link-local networks
 * (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and reserved ranges. A scrape target that
 * resolves to one of them would let a tenant probe the service's own network (server-side request forgery).
 */
const BLOCKED = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24],
  ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) BLOCKED.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["2001:db8::", 32], ["64:ff9b::", 96], ["100::", 64],
] as const) BLOCKED.addSubnet(network, prefix, "ipv6");

/** True when `ip` (a literal IPv4 or IPv6 address) is not a public unicast address; non-addresses count as private. */
export function isPrivateAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 4) return BLOCKED.check(ip, "ipv4");
  if (family !== 6) return true;
  // IPv4-mapped IPv6 (::ffff:a.b.c.d, or its hex form ::ffff:7f00:1) reaches the IPv4 address it embeds.
  const mapped = /^::ffff:(?:0:)?(.+)$/i.exec(ip)?.[1];
  if (mapped !== undefined) {
    if (net.isIPv4(mapped)) return BLOCKED.check(mapped, "ipv4");
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(mapped);
    if (hex) {
      const n = (parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16);
      return BLOCKED.check([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join("."), "ipv4");
    }
  }
  return BLOCKED.check(ip, "ipv6");
}
