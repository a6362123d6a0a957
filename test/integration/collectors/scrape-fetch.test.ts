import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchScrapeText, outboundFetch } from "../../../server/services/net/outbound-request.ts";

/** The scrape fetcher against a real HTTP server on loopback: what it refuses, and why. */
describe("outbound requests to tenant URLs: SSRF guard, redirects, size and time limits", () => {
  let hits: string[] = [];
  let base = "";
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url === "/metrics") return void res.writeHead(200, { "content-type": "text/plain" }).end("DCGM_FI_DEV_GPU_UTIL{UUID=\"GPU-1\"} 50\n");
    if (req.url === "/redirect") return void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    if (req.url === "/huge") {
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, "a");
      let sent = 0;
      const push = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64) res.once("drain", push);
        else res.end();
      };
      return push();
    }
    if (req.url === "/slow") return; // never answers
    if (req.url === "/echo") {
      let body = "";
      req.on("data", (c) => (body += c));
      return void req.on("end", () => res.writeHead(201, { "x-echo": String(req.headers["x-sig"]) }).end(`${req.method} ${body}`));
    }
    if (req.url === "/empty") return void res.writeHead(204).end();
    if (req.url === "/reset-content") return void res.writeHead(205).end();
    if (req.url === "/trickle") {
      // One byte every 50 ms: never idle long enough for an idle timer, so only a deadline ends it.
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("#"), 50);
      return void res.on("close", () => clearInterval(timer));
    }
    res.writeHead(404).end();
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const allowed = { timeoutMs: 2_000, maxBytes: 1024 * 1024, allowPrivateNetworks: true };
  const denied = { ...allowed, allowPrivateNetworks: false };

  it("reads an exporter's text when private networks are allowed", async () => {
    expect(await fetchScrapeText(`http://${base}/metrics`, allowed)).toBe("DCGM_FI_DEV_GPU_UTIL{UUID=\"GPU-1\"} 50\n");
  });

  it("refuses loopback, metadata and private addresses, literal or by name, before any request is sent", async () => {
    hits = [];
    const port = base.split(":")[1];
    await expect(fetchScrapeText(`http://${base}/metrics`, denied)).rejects.toThrow("refused: 127.0.0.1 is a private, loopback or link-local address");
    await expect(fetchScrapeText(`http://localhost:${port}/metrics`, denied)).rejects.toThrow("refused: localhost resolves to a private, loopback or link-local address");
    await expect(fetchScrapeText(`http://[::ffff:127.0.0.1]:${port}/metrics`, denied)).rejects.toThrow("refused");
    await expect(fetchScrapeText("http://169.254.169.254/latest/meta-data/", denied)).rejects.toThrow("refused: 169.254.169.254");
    await expect(fetchScrapeText("http://10.0.0.7:9400/metrics", denied)).rejects.toThrow("refused: 10.0.0.7");
    expect(hits).toEqual([]);
  });

  it("does not follow a redirect (it could point anywhere)", async () => {
    await expect(fetchScrapeText(`http://${base}/redirect`, allowed)).rejects.toThrow("HTTP 302: redirects are not followed; use the final URL");
  });

  it("stops reading past the size limit instead of buffering the body", async () => {
    await expect(fetchScrapeText(`http://${base}/huge`, { ...allowed, maxBytes: 256 * 1024 })).rejects.toThrow("response larger than 262144 bytes");
  });

  it("outboundFetch (alert deliveries) POSTs body and headers and hands back status, headers and text", async () => {
    const post = outboundFetch({ maxBytes: 1024, allowPrivateNetworks: true });
    const res = await post(`http://${base}/echo`, { method: "POST", headers: { "content-type": "application/json", "x-sig": "abc" }, body: '{"a":1}' });
    expect([res.status, res.headers.get("x-echo"), await res.text()]).toEqual([201, "abc", 'POST {"a":1}']);
    expect((await post(`http://${base}/empty`, { method: "POST", body: "{}" })).status).toBe(204);
    expect((await post(`http://${base}/reset-content`, { method: "POST", body: "{}" })).status).toBe(205); // a null-body status
    // A long answer to a delivery is cut, not an error: the alert was delivered.
    const long = await outboundFetch({ maxBytes: 100_000, allowPrivateNetworks: true })(`http://${base}/huge`, { method: "POST", body: "{}" });
    expect([long.status, (await long.text()).length]).toEqual([200, 100_000]);
    // The caller's timeout signal ends the exchange and is reported as a timeout.
    await expect(post(`http://${base}/trickle`, { method: "POST", body: "{}", signal: AbortSignal.timeout(150) })).rejects.toMatchObject({ name: "TimeoutError" });
    await expect(outboundFetch({ maxBytes: 1024, allowPrivateNetworks: false })(`http://${base}/echo`, { method: "POST", body: "{}" })).rejects.toThrow("refused: 127.0.0.1");
  });

  it("gives up on a target that never answers, and on one that trickles (a deadline for the whole exchange)", async () => {
    await expect(fetchScrapeText(`http://${base}/slow`, { ...allowed, timeoutMs: 200 })).rejects.toThrow("timed out after 200 ms");
    const t0 = Date.now();
    await expect(fetchScrapeText(`http://${base}/trickle`, { ...allowed, timeoutMs: 300 })).rejects.toThrow("timed out after 300 ms");
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});
