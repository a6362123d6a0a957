import http from "node:http";

export type Recorded = { body: Record<string, unknown>; headers: http.IncomingHttpHeaders; atMs: number };

/** A real local HTTP server standing in for Slack: records requests and answers with a scripted sequence. */
export async function startFakeSlack(script: { status: number; headers?: Record<string, string>; body?: string }[] = []) {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      requests.push({ body: JSON.parse(data || "{}") as Record<string, unknown>, headers: req.headers, atMs: Date.now() });
      const next = script.shift() ?? { status: 200, body: "ok" };
      res.writeHead(next.status, { "content-type": "text/plain", ...next.headers });
      res.end(next.body ?? (next.status === 200 ? "ok" : "error"));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/services/T000/B000/XXXXsecret`, requests, script, close: () => new Promise((r) => server.close(r)) };
}
