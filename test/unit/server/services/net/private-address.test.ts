import { describe, expect, it } from "vitest";
import { isPrivateAddress } from "../../../../../server/services/net/private-address.ts";

describe("isPrivateAddress: what a scrape on a tenant's behalf must not reach", () => {
  it.each([
    "127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.10", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fd00::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1",
    "::ffff:7f00:1", "::ffff:a9fe:a9fe", "64:ff9b::a9fe:a9fe", "64:ff9b::10.0.0.1", "::127.0.0.1", "::a00:1", "fec0::1",
    "2002:7f00:1::1", "2001:0:4136:e378::1", "64:ff9b:1::1", "192.88.99.1", "0:0:0:0:0:ffff:127.0.0.1", "not-an-ip", "",
  ])("%s is private", (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "64:ff9b::8.8.8.8", "2a00:1450::1"])(
    "%s is public", (ip) => expect(isPrivateAddress(ip)).toBe(false),
  );
});
