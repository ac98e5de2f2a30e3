import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddressOf } from "../../src/client-address.js";
import { loadConfig } from "../../src/config.js";

const request = (socketAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: socketAddress },
    headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe("the client address the sign-in throttle counts", () => {
  it("is the socket's peer unless TRUST_PROXY says otherwise: a forged X-Forwarded-For buys no fresh budget", () => {
    const addressOf = clientAddressOf(loadConfig({}, { serving: false }).trustProxy);
    expect(addressOf(request("203.0.113.7", "198.51.100.1"))).toBe("203.0.113.7");
    expect(addressOf(request("::ffff:203.0.113.7"))).toBe("203.0.113.7");
  });

  it("behind trusted proxies, is the nearest forwarded address no trusted proxy added", () => {
    const behindLoopback = clientAddressOf(loadConfig({ TRUST_PROXY: "loopback" }, { serving: false }).trustProxy);
    // The client wrote 198.51.100.1 itself; the proxy on this machine appended the address it saw.
    expect(behindLoopback(request("127.0.0.1", "198.51.100.1, 203.0.113.7"))).toBe("203.0.113.7");
    // A request that did not come through the proxy is not believed.
    expect(behindLoopback(request("192.0.2.5", "198.51.100.1"))).toBe("192.0.2.5");

    const twoHops = clientAddressOf(loadConfig({ TRUST_PROXY: "2" }, { serving: false }).trustProxy);
    expect(twoHops(request("10.0.0.2", "198.51.100.1, 203.0.113.7, 10.0.0.1"))).toBe("203.0.113.7");
  });

  it("counts an IPv6 client by its /64, the block one subscriber is given", () => {
    const addressOf = clientAddressOf(false);
    expect(addressOf(request("2001:db8:1:2:aaaa::1"))).toBe("2001:db8:1:2::/64");
    expect(addressOf(request("2001:db8:1:2:bbbb::9"))).toBe("2001:db8:1:2::/64");
    expect(addressOf(request("2001:db8:1:3::1"))).toBe("2001:db8:1:3::/64");
  });

  it("refuses a TRUST_PROXY that is not a hop count or a list of addresses", () => {
    expect(() => loadConfig({ TRUST_PROXY: "true" }, { serving: false })).toThrow(
      /^Invalid configuration: TRUST_PROXY must be false, a number/,
    );
    expect(() => loadConfig({ TRUST_PROXY: "10.0.0.0/8, proxy.internal" }, { serving: false })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, loopback" }, { serving: false }).trustProxy).toEqual([
      "10.0.0.0/8",
      "loopback",
    ]);
  });
});
