import crypto from "node:crypto";
import { z } from "zod";
import { ScenarioListSchema, type ParsedScenario } from "../../domain/whatif/schema.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.ts";
import { actorUserId, requirePermission, type OrgContext } from "../org-context.ts";

export const SaveScenarioInputSchema = z.object({
  id: z.string().min(1).max(100).optional(), // given: replace that saved scenario
  name: z.string().trim().min(1, "give the scenario a name").max(120),
  scenarios: ScenarioListSchema.min(1, "add at least one scenario"),
});
export type SaveScenarioInput = z.input<typeof SaveScenarioInputSchema>;

export type SavedScenario = { id: string; name: string; scenarios: ParsedScenario[]; createdByUserId: string | null; createdAt: Date; updatedAt: Date; invalid: string | null };

type Row = { id: string; name: string; scenarios: unknown; createdByUserId: string | null; createdAt: Date; updatedAt: Date };

/** A stored list is re-validated on read: a row the current schema rejects is returned empty with the reason, never run. */
function toSaved(row: Row): SavedScenario {
  const parsed = ScenarioListSchema.safeParse(row.scenarios);
  return {
    id: row.id, name: row.name, createdByUserId: row.createdByUserId, createdAt: row.createdAt, updatedAt: row.updatedAt,
    scenarios: parsed.success ? parsed.data : [],
    invalid: parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
  };
}

export async function listSavedScenarios({ ctx }: { ctx: OrgContext }): Promise<SavedScenario[]> {
  requirePermission(ctx, "costs:read");
  const rows = await ctx.db.prisma.whatIfScenario.findMany({ where: { orgId: ctx.org.id }, orderBy: { updatedAt: "desc" } });
  return rows.map(toSaved);
}

export async function saveScenario({ ctx, input }: { ctx: OrgContext; input: SaveScenarioInput }): Promise<SavedScenario> {
  requirePermission(ctx, "scenarios:manage");
  const parsed = SaveScenarioInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const { id, name, scenarios } = parsed.data;
  const conflict = new ConflictError(`a saved scenario named ${name} exists already`);
  const clash = await ctx.db.prisma.whatIfScenario.findFirst({ where: { orgId: ctx.org.id, name, ...(id ? { NOT: { id } } : {}) } });
  if (clash) throw conflict;
  try {
    if (id) {
      const updated = await ctx.db.prisma.whatIfScenario.updateMany({ where: { id, orgId: ctx.org.id }, data: { name, scenarios, updatedAt: new Date() } });
      if (updated.count === 0) throw new NotFoundError("saved scenario", id);
      return toSaved(await ctx.db.prisma.whatIfScenario.findFirstOrThrow({ where: { id, orgId: ctx.org.id } }));
    }
    return toSaved(await ctx.db.prisma.whatIfScenario.create({ data: { id: crypto.randomUUID(), orgId: ctx.org.id, name, scenarios, createdByUserId: actorUserId(ctx.actor) } }));
  } catch (error) {
    // Two saves of one name at once: the unique (org, name) index lets one win; the other is the same conflict.
    if ((error as { code?: string }).code === "P2002") throw conflict;
    throw error;
  }
}

export async function deleteSavedScenario({ ctx, id }: { ctx: OrgContext; id: string }): Promise<void> {
  requirePermission(ctx, "scenarios:manage");
  const result = await ctx.db.prisma.whatIfScenario.deleteMany({ where: { id, orgId: ctx.org.id } });
  if (result.count === 0) throw new NotFoundError("saved scenario", id);
}
