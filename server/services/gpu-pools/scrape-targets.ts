import crypto from "node:crypto";
import { z } from "zod";
import { markDirtyHours } from "../../db/bulk/mark-dirty.ts";
import type { Db } from "../../db/client.ts";
import { insertGpuSamples } from "../../db/bulk/insert-gpu-samples.ts";
import { withTransaction } from "../../db/transaction.ts";
import { gpuSamplesFromScrape } from "../../domain/normalize/prometheus-text.ts";
import { NotFoundError } from "../../errors.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";

export const ScrapeTargetInputSchema = z.object({
  url: z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL, e.g. http://gpu-node-1:9400/metrics"),
  intervalSeconds: z.number().int().min(5).max(3600).default(15),
});

export async function listScrapeTargets({ ctx }: { ctx: OrgContext }) {
  requirePermission(ctx, "costs:read");
  return ctx.db.prisma.scrapeTarget.findMany({ where: { orgId: ctx.org.id }, orderBy: { createdAt: "asc" } });
}

export async function createScrapeTarget({ ctx, input }: { ctx: OrgContext; input: z.input<typeof ScrapeTargetInputSchema> }) {
  requirePermission(ctx, "collectors:manage");
  const v = ScrapeTargetInputSchema.parse(input);
  return ctx.db.prisma.scrapeTarget.create({ data: { id: crypto.randomUUID(), orgId: ctx.org.id, url: v.url, intervalSeconds: v.intervalSeconds } });
}

export async function deleteScrapeTarget({ ctx, id }: { ctx: OrgContext; id: string }): Promise<void> {
  requirePermission(ctx, "collectors:manage");
  const result = await ctx.db.prisma.scrapeTarget.deleteMany({ where: { id, orgId: ctx.org.id } });
  if (result.count === 0) throw new NotFoundError("scrape target", id);
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Scrapes every enabled target that is due (dcgm-exporter :9400, AMD :5000, nvidia_gpu_exporter :9835), stores its
 * GPU samples for the target's org (idempotent per GPU and timestamp) and marks the hour for GPU-pool costing.
 * Failures are recorded on the target (shown in Settings), never thrown at the scheduler.
 */
export async function scrapeDueTargets({ db, nowMs = Date.now(), fetchImpl = fetch, timeoutMs = 5_000 }: { db: Db; nowMs?: number; fetchImpl?: typeof fetch; timeoutMs?: number }): Promise<{ scraped: number; failed: number; samples: number }> {
  const targets = await db.prisma.scrapeTarget.findMany({ where: { enabled: true } });
  const out = { scraped: 0, failed: 0, samples: 0 };
  for (const t of targets) {
    if (t.lastScrapeAt && t.lastScrapeAt.getTime() + t.intervalSeconds * 1000 > nowMs) continue;
    let error: string | null = null;
    try {
      const res = await fetchImpl(t.url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "text/plain" } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const text = await res.text();
      if (text.length > MAX_BODY_BYTES) throw new Error(`response larger than ${MAX_BODY_BYTES} bytes`);
      const host = new URL(t.url).hostname;
      const { samples } = gpuSamplesFromScrape(text, nowMs, { host });
      await withTransaction(db.pool, async (client) => {
        const inserted = await insertGpuSamples(client, samples.map((sample) => ({ orgId: t.orgId, sample })));
        if (inserted.length) {
          await markDirtyHours(client, t.orgId, inserted.map((r) => r.time.getTime()));
        }
      });
      out.samples += samples.length;
      out.scraped++;
    } catch (e) {
      error = (e as Error).name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : (e as Error).message.slice(0, 300);
      out.failed++;
    }
    await db.prisma.scrapeTarget.update({ where: { id: t.id }, data: { lastScrapeAt: new Date(nowMs), lastError: error } });
  }
  return out;
}
