import crypto from "node:crypto";
import { z } from "zod";
import { markDirtyHours } from "../../db/bulk/mark-dirty.ts";
import type { Db } from "../../db/client.ts";
import { insertGpuSamples } from "../../db/bulk/insert-gpu-samples.ts";
import { withTransaction } from "../../db/transaction.ts";
import { gpuSamplesFromScrape } from "../../domain/normalize/prometheus-text.ts";
import { outboundPrivateNetworksAllowed } from "../../env.ts";
import { NotFoundError } from "../../errors.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";
import { fetchScrapeText } from "../net/outbound-request.ts";

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
// Targets scraped at once: a few dead ones (each waits out its timeout) must not hold up every other org's scrapes.
const SCRAPE_CONCURRENCY = 8;

type ScrapeTarget = Awaited<ReturnType<Db["prisma"]["scrapeTarget"]["findMany"]>>[number];

/**
 * Scrapes every enabled target that is due (dcgm-exporter :9400, AMD :5000, nvidia_gpu_exporter :9835), stores its
 * GPU samples for the target's org (idempotent per GPU and timestamp) and marks the hour for GPU-pool costing.
 * Private, loopback and link-local addresses are refused unless allowed (INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS; the
 * default allows them only on the embedded single-box install). Failures are recorded on the target (shown in
 * Settings), never thrown at the scheduler.
 */
export async function scrapeDueTargets({ db, nowMs = Date.now(), timeoutMs = 5_000, allowPrivateNetworks = outboundPrivateNetworksAllowed(), fetchText = fetchScrapeText }: {
  db: Db; nowMs?: number; timeoutMs?: number; allowPrivateNetworks?: boolean; fetchText?: typeof fetchScrapeText;
}): Promise<{ scraped: number; failed: number; samples: number }> {
  const targets = (await db.prisma.scrapeTarget.findMany({ where: { enabled: true } }))
    .filter((t) => !t.lastScrapeAt || t.lastScrapeAt.getTime() + t.intervalSeconds * 1000 <= nowMs);
  const out = { scraped: 0, failed: 0, samples: 0 };
  const scrapeOne = async (t: ScrapeTarget) => {
    let error: string | null = null;
    try {
      const text = await fetchText(t.url, { timeoutMs, maxBytes: MAX_BODY_BYTES, allowPrivateNetworks });
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
      error = (e as Error).message.slice(0, 300);
      out.failed++;
    }
    // updateMany: a target deleted while it was being scraped is no error.
    await db.prisma.scrapeTarget.updateMany({ where: { id: t.id }, data: { lastScrapeAt: new Date(nowMs), lastError: error } });
  };
  for (let i = 0; i < targets.length; i += SCRAPE_CONCURRENCY) await Promise.all(targets.slice(i, i + SCRAPE_CONCURRENCY).map(scrapeOne));
  return out;
}
