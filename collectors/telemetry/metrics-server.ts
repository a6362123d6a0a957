import http from "node:http";

/** Where the exposition comes from: one process's CollectorMetrics, or a collector cluster's aggregate. */
export type MetricsSource = { exposition: () => Promise<{ contentType: string; body: string }> };

/**
 * GET /metrics in Prometheus text format, on a listener of its own (by default bound to loopback, like the
 * OpenTelemetry Collector's :8888), so the operator's scraper never shares the tenants' OTLP port.
 */
export function createMetricsServer(metrics: MetricsSource): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("only GET /metrics here\n");
      return;
    }
    metrics.exposition().then(
      ({ contentType, body }) => res.writeHead(200, { "content-type": contentType }).end(req.method === "HEAD" ? undefined : body),
      (error: Error) => res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`metrics unavailable: ${error.message}\n`),
    );
  });
}
