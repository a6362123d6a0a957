import http from "node:http";
import next from "next";
import { ensureNextBuild, ROOT_DIR } from "./next-build.ts";

/** The Next.js dashboard as a custom server inside this process (shares the embedded database). */
export async function startWebServer({ port, host, log }: { port: number; host: string; log: (line: string) => void }): Promise<{ port: number; close: () => Promise<void> }> {
  ensureNextBuild(log);
  const app = next({ dev: false, dir: ROOT_DIR, hostname: "localhost", port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => void handle(req, res));
  const actualPort = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
  return {
    port: actualPort,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
