import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { getEnv, publicUrl, trustedOrigins } from "./env.ts";
import { getDb } from "./db/index.ts";
import { acceptPendingInvitations } from "./services/members/accept-invitations.ts";

/**
 * better-auth secret: BETTER_AUTH_SECRET, or in embedded mode one generated at first start and kept in
 * the data dir (mode 600), so a newcomer needs no configuration and sessions survive restarts.
 */
export function getAuthSecret(): string {
  const env = getEnv();
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  const file = path.resolve(env.INFERLEDGER_DATA_DIR, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = crypto.randomBytes(32).toString("base64url");
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  }
}

function createAuth() {
  const env = getEnv();
  const baseURL = publicUrl(env);
  const { prisma } = getDb();
  return betterAuth({
    baseURL,
    secret: getAuthSecret(),
    trustedOrigins: trustedOrigins(env),
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: true },
    session: { expiresIn: 60 * 60 * 24 * 7, cookieCache: { enabled: false } },
    // Sign-in/up are brute-force targets: per-IP limits, kept in memory of this process.
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": { window: 60, max: 30 }, "/sign-up/email": { window: 60, max: 20 } },
    },
    advanced: { defaultCookieAttributes: { httpOnly: true, sameSite: "lax" } },
    databaseHooks: {
      user: { create: { after: async (user) => {
          await acceptPendingInvitations({ userId: user.id, email: user.email });
        }, } },
    },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const holder = globalThis as unknown as { __inferledgerAuth?: Auth };

export function getAuth(): Auth {
  holder.__inferledgerAuth ??= createAuth();
  return holder.__inferledgerAuth;
}

export function resetAuth(): void {
  holder.__inferledgerAuth = undefined;
}
