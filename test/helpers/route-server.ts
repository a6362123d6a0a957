import http from "node:http";

type RouteModule = { GET?: (req: Request) => Response | Promise<Response>; POST?: (req: Request) => Response | Promise<Response> };

/**
 * Serves Next.js App Router route handlers (the real `app/api/.../route.ts` modules) over real HTTP on loopback,
 * without a Next build: Node request → fetch Request → handler → Response, all headers (each Set-Cookie) kept.
 */
export async function serveRoutes(routes: Record<string, RouteModule>) {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const prefix = Object.keys(routes).find((p) => url.pathname.startsWith(p));
      const handler = prefix ? routes[prefix]![req.method as "GET" | "POST"] : undefined;
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined) headers.set(name, value);
      }
      const body = chunks.length && req.method !== "GET" ? Buffer.concat(chunks) : undefined;
      const response = await handler(new Request(url, { method: req.method, headers, body }));
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie") out[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) out["set-cookie"] = cookies;
      res.writeHead(response.status, out);
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { port, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}
