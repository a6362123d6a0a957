import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { isPrivateAddress } from "./private-address.ts";

/*
 * Every request the server sends to a tenant-supplied URL (GPU exporter scrapes, alert webhooks and Slack) goes
 * through here. Unlike `fetch`, it checks the address it actually connects to — every address DNS returns, so a
 * name cannot be re-pointed between check and connect — follows no redirect (one could lead anywhere), and stops
 * reading at `maxBytes` instead of buffering whatever the other side sends.
 */

export type OutboundOptions = {
  /** The whole exchange — DNS, connect, request, response — ends by then (an idle timer alone lets a trickle run on). */
  timeoutMs: number;
  maxBytes: number;
  allowPrivateNetworks: boolean;
  /** Past maxBytes: "error" fails the request (a scrape), "truncate" keeps the first maxBytes (a delivery's answer). */
  overflow?: "error" | "truncate";
};
export type OutboundResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

// The resolved address is not named: the message reaches the tenant, who could otherwise map internal names to IPs.
const refusal = (host: string, literal: boolean) =>
  new Error(`refused: ${host} ${literal ? "is" : "resolves to"} a private, loopback or link-local address (INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS=allow permits it)`);

export const timeoutError = (ms: number) => Object.assign(new Error(`timed out after ${ms} ms`), { name: "TimeoutError" });

export function outboundRequest(
  url: string,
  request: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
  options: OutboundOptions,
): Promise<OutboundResponse> {
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:") return Promise.reject(new Error(`unsupported protocol ${target.protocol}`));
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (!options.allowPrivateNetworks && net.isIP(host) && isPrivateAddress(host)) return Promise.reject(refusal(host, true));
  const lookup: net.LookupFunction = (hostname, lookupOptions, callback) => {
    const done = callback as (...args: unknown[]) => void;
    dns.lookup(hostname, lookupOptions, (error, address, family) => {
      if (error || options.allowPrivateNetworks) return done(error, address, family);
      const addresses = Array.isArray(address) ? (address as dns.LookupAddress[]).map((a) => a.address) : [address];
      const blocked = addresses.find((a) => isPrivateAddress(a));
      if (blocked !== undefined) return done(refusal(hostname, false));
      done(null, address, family);
    });
  };
  const send = target.protocol === "https:" ? https.request : http.request;
  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, response?: OutboundResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve(response!);
    };
    const req = send(target, { method: request.method, lookup, headers: request.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      const done = () => finish(null, { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      response.on("data", (chunk: Buffer) => {
        if (settled) return;
        if (bytes + chunk.length > options.maxBytes) {
          if (options.overflow === "truncate") {
            chunks.push(chunk.subarray(0, options.maxBytes - bytes));
            bytes = options.maxBytes;
            done();
            return void req.destroy();
          }
          return void req.destroy(new Error(`response larger than ${options.maxBytes} bytes`));
        }
        bytes += chunk.length;
        chunks.push(chunk);
      });
      response.on("end", done);
      response.on("error", (error) => finish(error));
    });
    const deadline = setTimeout(() => req.destroy(timeoutError(options.timeoutMs)), options.timeoutMs);
    // A caller's signal (a delivery's own timeout) ends the request the same way, named as a timeout when it is one.
    const onAbort = () => req.destroy((request.signal?.reason as { name?: string } | undefined)?.name === "TimeoutError" ? timeoutError(options.timeoutMs) : new Error("aborted"));
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener("abort", onAbort);
    req.on("error", (error) => finish(error));
    req.on("close", () => finish(new Error("connection closed before a response")));
    req.end(request.body);
  });
}

/** GETs a Prometheus exposition endpoint as text; anything but 2xx is an error (a redirect is named as such). */
export async function fetchScrapeText(url: string, options: OutboundOptions): Promise<string> {
  const res = await outboundRequest(url, { method: "GET", headers: { accept: "text/plain" } }, options);
  if (res.status >= 300 && res.status < 400) throw new Error(`HTTP ${res.status}: redirects are not followed; use the final URL`);
  if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status}`);
  return res.body.toString("utf8");
}

/**
 * `fetch` for POSTing to tenant URLs (alert deliveries): the same guard and limits, a redirect answered as the 3xx
 * it is, an answer longer than maxBytes cut there (a delivered alert must not look failed for a long reply). Only what deliveries use is supported: method, string body, headers as a record, signal.
 */
export function outboundFetch(options: Omit<OutboundOptions, "timeoutMs"> & { timeoutMs?: number }): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const res = await outboundRequest(
      String(input),
      { method: init?.method === "GET" ? "GET" : "POST", headers: init?.headers as Record<string, string> | undefined, body: init?.body as string | undefined, signal: init?.signal ?? undefined },
      { timeoutMs: options.timeoutMs ?? 30_000, maxBytes: options.maxBytes, allowPrivateNetworks: options.allowPrivateNetworks, overflow: "truncate" },
    );
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const empty = res.status < 200 || res.status === 204 || res.status === 205 || res.status === 304; // null-body statuses
    return new Response(empty ? null : new Uint8Array(res.body), { status: res.status < 200 || res.status > 599 ? 502 : res.status, headers });
  }) as typeof fetch;
}
