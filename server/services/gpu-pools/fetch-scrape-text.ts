import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { isPrivateAddress } from "./private-address.ts";

export type ScrapeFetchOptions = { timeoutMs: number; maxBytes: number; allowPrivateNetworks: boolean };

const refusal = (host: string, address: string) =>
  new Error(`refused: ${host} is ${address === host ? "" : `${address}, `}a private, loopback or link-local address (INFERLEDGER_SCRAPE_PRIVATE_NETWORKS=allow permits it)`);

/**
 * GETs a Prometheus exposition endpoint as text. Unlike `fetch`, it checks the address it actually connects to
 * (every address DNS returns, so a name cannot be re-pointed between check and connect), follows no redirect (one
 * could lead anywhere), and stops reading at `maxBytes` instead of buffering whatever a target sends.
 */
export function fetchScrapeText(url: string, options: ScrapeFetchOptions): Promise<string> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (!options.allowPrivateNetworks && net.isIP(host) && isPrivateAddress(host)) return Promise.reject(refusal(host, host));
  const lookup: net.LookupFunction = (hostname, lookupOptions, callback) => {
    dns.lookup(hostname, lookupOptions, (error, address, family) => {
      if (error || options.allowPrivateNetworks) return (callback as (...a: unknown[]) => void)(error, address, family);
      const addresses = Array.isArray(address) ? (address as dns.LookupAddress[]).map((a) => a.address) : [address];
      const blocked = addresses.find((a) => isPrivateAddress(a));
      if (blocked !== undefined) return (callback as (...a: unknown[]) => void)(refusal(hostname, blocked));
      (callback as (...a: unknown[]) => void)(null, address, family);
    });
  };
  const get = target.protocol === "https:" ? https.get : http.get;
  return new Promise<string>((resolve, reject) => {
    const request = get(target, { lookup, headers: { accept: "text/plain" }, agent: false }, (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        response.resume();
        request.destroy();
        return reject(new Error(status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed; use the final URL` : `HTTP ${status}`));
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > options.maxBytes) {
          request.destroy(new Error(`response larger than ${options.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      response.on("error", reject);
    });
    request.setTimeout(options.timeoutMs, () => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)));
    request.on("error", reject);
  });
}
