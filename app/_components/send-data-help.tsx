"use client";

/** How to get data in: shown by every page that has nothing to show yet. */
export function SendDataHelp() {
  const host = typeof window === "undefined" ? "localhost" : window.location.hostname;
  const snippet = `# Any OpenTelemetry SDK or Collector (OTLP/HTTP, protobuf or JSON)
export OTEL_EXPORTER_OTLP_ENDPOINT=http://${host}:4318
export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <your ingest key>"
export OTEL_RESOURCE_ATTRIBUTES="service.name=my-feature"`;
  return (
    <div className="send-data">
      <p>
        Send GenAI spans from your app to the collector at <code>http://{host}:4318</code> with an ingest key
        (Settings → API keys). Tag spans with <code>inferledger.feature</code> and <code>inferledger.task.id</code> to
        attribute cost to features and tasks.
      </p>
      <pre>
        <code>{snippet}</code>
      </pre>
      <button type="button" onClick={() => navigator.clipboard?.writeText(snippet)}>
        Copy snippet
      </button>
    </div>
  );
}
