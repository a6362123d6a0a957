/**
 * CSRF defence for cookie-authenticated, state-changing requests: a browser tells where a request comes from
 * (Sec-Fetch-Site, Origin, Referer); anything not from one of our own origins is refused. SameSite=Lax cookies
 * already keep most cross-site POSTs anonymous; this also covers sibling subdomains ("same-site") and browsers
 * without SameSite. Requests carrying none of the headers are not from a browser page (curl, server code), so
 * they cannot be forged by one and pass.
 */
export type SameOriginVerdict = { ok: true } | { ok: false; reason: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function checkSameOrigin(
  request: { method: string; header: (name: string) => string | null },
  trustedOrigins: readonly string[],
): SameOriginVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { ok: true };
  const trusted = new Set(trustedOrigins.map((o) => originOf(o)).filter((o): o is string => o !== null));
  const origin = request.header("origin");
  if (origin !== null) {
    // "null" (sandboxed frames, some redirects) is never one of ours.
    return trusted.has(origin) ? { ok: true } : { ok: false, reason: `cross-site request refused (Origin ${origin.slice(0, 100)} is not trusted)` };
  }
  const fetchSite = request.header("sec-fetch-site");
  if (fetchSite !== null && fetchSite !== "same-origin" && fetchSite !== "none") {
    return { ok: false, reason: `cross-site request refused (Sec-Fetch-Site: ${fetchSite.slice(0, 30)})` };
  }
  const referer = request.header("referer");
  if (referer !== null) {
    const from = originOf(referer);
    if (!from || !trusted.has(from)) return { ok: false, reason: "cross-site request refused (Referer is not a trusted origin)" };
  }
  return { ok: true };
}
