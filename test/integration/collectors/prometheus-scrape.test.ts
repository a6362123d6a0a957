import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { scrapeDueTargets } from "../../../server/services/gpu-pools/scrape-targets.ts";
import { callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { addTestMember } from "../../fixtures/factories.ts";

describe("Prometheus scrape of GPU exporters", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("scrapes a dcgm-exporter endpoint into the target's org, once per interval, and records failures", async () => {
    let util = 0.5;
    const server = http.createServer((req, res) => {
      if (req.url !== "/metrics") return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu="0",UUID="GPU-scrape-1",Hostname="node-s",modelName="NVIDIA H100 80GB HBM3"} ${util}\n`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const { org, user } = await createTestOrg(db);
    const owner = callerFor(db, user);
    await owner.gpuPools.createScrapeTarget({ orgSlug: org.slug, target: { url: `http://127.0.0.1:${port}/metrics`, intervalSeconds: 15 } });
    const bad = await owner.gpuPools.createScrapeTarget({ orgSlug: org.slug, target: { url: `http://127.0.0.1:${port}/nope`, intervalSeconds: 15 } });
    const t0 = Date.now();
    const first = await scrapeDueTargets({ db, nowMs: t0, allowPrivateNetworks: true });
    expect(first).toMatchObject({ failed: 1 });
    expect(first.scraped).toBeGreaterThanOrEqual(1);
    util = 0.9;
    expect(await scrapeDueTargets({ db, nowMs: t0 + 5_000, allowPrivateNetworks: true })).toMatchObject({ scraped: 0 }); // not due yet
    await scrapeDueTargets({ db, nowMs: t0 + 15_000, allowPrivateNetworks: true });
    const samples = await db.prisma.gpuSample.findMany({ where: { orgId: org.id }, orderBy: { time: "asc" } });
    expect(samples.map((s) => [s.gpuUuid, s.host, s.utilizationRatio])).toEqual([["GPU-scrape-1", "node-s", 0.5], ["GPU-scrape-1", "node-s", 0.9]]);
    expect(await db.prisma.dirtyHour.count({ where: { orgId: org.id } })).toBeGreaterThanOrEqual(1);
    const targets = await owner.gpuPools.scrapeTargets({ orgSlug: org.slug });
    expect(targets.find((t) => t.id === bad.id)?.lastError).toBe("HTTP 404");
    const finance = await addTestMember(db, org.id, "finance");
    await expect(callerFor(db, finance).gpuPools.createScrapeTarget({ orgSlug: org.slug, target: { url: "http://x:9400/metrics" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await new Promise((r) => server.close(r));
  });

  it("on a multi-tenant server, a target on a private address is refused and the reason shown on the target", async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200).end('DCGM_FI_DEV_GPU_UTIL{UUID="GPU-internal"} 50\n');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { org, user } = await createTestOrg(db);
    const owner = callerFor(db, user);
    const target = await owner.gpuPools.createScrapeTarget({ orgSlug: org.slug, target: { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics` } });
    await scrapeDueTargets({ db, nowMs: Date.now() + 3_600_000, allowPrivateNetworks: false });
    const [stored] = (await owner.gpuPools.scrapeTargets({ orgSlug: org.slug })).filter((t) => t.id === target.id);
    expect(stored?.lastError).toBe("refused: 127.0.0.1 is a private, loopback or link-local address (INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS=allow permits it)");
    expect(requests).toBe(0);
    expect(await db.prisma.gpuSample.count({ where: { orgId: org.id } })).toBe(0);
    await new Promise((r) => server.close(r));
  });
});
