import { LIMITS, type RawDataPoint, type RawMetric, type RawResourceMetrics } from "../../server/domain/normalize/raw-types.ts";
import { keyValues } from "./any-value.ts";
import { OtlpDecodeError } from "./decode-error.ts";
import { asArray, decodeJson, pick } from "./decode-traces.ts";
import { nanos, timeInRange } from "./ids-and-times.ts";
import { ExportMetricsServiceRequest } from "./proto-schema.ts";

export type DecodedMetrics = { resourceMetrics: RawResourceMetrics[]; pointCount: number; rejected: number; rejectReasons: string[] };

/* eslint-disable @typescript-eslint/no-explicit-any -- walking untyped decoded protobuf/JSON trees */

/**
 * ExportMetricsServiceRequest → raw gauges and sums. Histograms and summaries carry no GPU state we use: their
 * points are counted as rejected with a reason (partial success), never silently dropped.
 */
export function decodeMetrics(body: Uint8Array, encoding: "protobuf" | "json"): DecodedMetrics {
  let message: any;
  if (encoding === "protobuf") {
    try {
      message = ExportMetricsServiceRequest.decode(body);
    } catch (error) {
      throw new OtlpDecodeError(`invalid protobuf ExportMetricsServiceRequest: ${(error as Error).message}`);
    }
  } else {
    message = decodeJson(body);
  }
  const reasons = new Set<string>();
  let rejected = 0;
  let pointCount = 0;
  const out: RawResourceMetrics[] = [];
  for (const rm of asArray(pick(message, "resourceMetrics", "resource_metrics"))) {
    const resource = keyValues(pick(rm?.resource, "attributes"));
    const metrics: RawMetric[] = [];
    for (const sm of asArray(pick(rm, "scopeMetrics", "scope_metrics"))) {
      for (const m of asArray(pick(sm, "metrics"))) {
        const name = pick(m, "name");
        if (typeof name !== "string" || !name) {
          reasons.add("metric without a name");
          continue;
        }
        const which: string | undefined = typeof m.data === "string" ? m.data : ["gauge", "sum", "histogram", "exponentialHistogram", "summary"].find((k) => m[k] !== undefined && m[k] !== null);
        if (which !== "gauge" && which !== "sum") {
          reasons.add(`metric type ${which ?? "unknown"} is not used (gauges and sums only)`);
          continue;
        }
        const data = m[which];
        const points: RawDataPoint[] = [];
        for (const p of asArray(pick(data, "dataPoints", "data_points"))) {
          pointCount++;
          if (pointCount > LIMITS.maxDataPointsPerRequest) throw new OtlpDecodeError(`too many data points in one request (limit ${LIMITS.maxDataPointsPerRequest})`);
          const point = toPoint(p);
          if (typeof point === "string") {
            rejected++;
            reasons.add(point);
          } else {
            points.push(point);
          }
        }
        metrics.push({ name: name.slice(0, 256), unit: String(pick(m, "unit") ?? ""), type: which, isMonotonic: Boolean(pick(data, "isMonotonic", "is_monotonic")), points });
      }
    }
    if (metrics.length) out.push({ resource, metrics });
  }
  return { resourceMetrics: out, pointCount, rejected, rejectReasons: [...reasons] };
}

function toPoint(p: any): RawDataPoint | string {
  if (!p || typeof p !== "object") return "data point is not an object";
  const time = nanos(pick(p, "timeUnixNano", "time_unix_nano"));
  if (time === null || !timeInRange(time)) return "data point timeUnixNano missing or outside 2000-01-01..2100-01-01";
  const start = nanos(pick(p, "startTimeUnixNano", "start_time_unix_nano")) ?? 0n;
  const which: string | undefined = typeof p.value === "string" ? p.value : p.asDouble !== undefined || p.as_double !== undefined ? "asDouble" : p.asInt !== undefined || p.as_int !== undefined ? "asInt" : undefined;
  const raw = which === "asDouble" ? (p.asDouble ?? p.as_double) : which === "asInt" ? (p.asInt ?? p.as_int) : undefined;
  const value = typeof raw === "number" ? raw : Number(String(raw));
  if (raw === undefined || !Number.isFinite(value)) return "data point value missing or not finite";
  return { attributes: keyValues(pick(p, "attributes")), timeUnixNano: time, startTimeUnixNano: start, value };
}
