import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";
import type { TrustProxy } from "./environment.js";

/**
 * The address a request comes from, as the sign-in throttle counts it: the socket's peer, or, behind
 * trusted proxies, the nearest address in X-Forwarded-For that no trusted proxy added (anything
 * further left is the client's to forge). An IPv6 address counts as its /64, the block one
 * subscriber is usually given, so that each of its addresses is not a fresh budget.
 */
export function clientAddressOf(trust: TrustProxy): (request: IncomingMessage) => string {
  const trusted =
    trust === false
      ? () => false
      : typeof trust === "number"
        ? (_address: string, hop: number) => hop < trust
        : proxyaddr.compile(trust);
  return (request) => addressKey(proxyaddr(request, trusted));
}

function addressKey(address: string | undefined): string {
  // A socket that closed has no address; a proxy may forward a value that is not one. Either counts as itself.
  if (!address || !ipaddr.isValid(address)) return address ?? "unknown";
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const { parts } = parsed as ipaddr.IPv6;
  return `${new ipaddr.IPv6([...parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}
