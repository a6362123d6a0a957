import superjson from "superjson";

/** A browser-like client of the served routes: keeps the session cookie, sends Origin as a page would. */
export function httpClient(baseUrl: string) {
  let cookie = "";
  const remember = (res: Response) => {
    const session = res.headers.getSetCookie().map((c) => c.split(";")[0]!).filter((c) => c.includes("session_token"));
    if (session.length) cookie = session.join("; ");
    return res;
  };
  return {
    get cookie() {
      return cookie;
    },
    async signUp(email: string, password: string, headers: Record<string, string>) {
      return remember(await fetch(`${baseUrl}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ email, password, name: "HTTP User" }),
      }));
    },
    async signIn(email: string, password: string, headers: Record<string, string>) {
      return remember(await fetch(`${baseUrl}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ email, password }),
      }));
    },
    /** A tRPC mutation as the dashboard's client sends it (POST, superjson body, session cookie). */
    mutation(path: string, input: unknown, headers: Record<string, string> = {}) {
      return fetch(`${baseUrl}/api/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, ...headers },
        body: JSON.stringify(superjson.serialize(input)),
      });
    },
    query(path: string, input: unknown, headers: Record<string, string> = {}) {
      const q = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
      return fetch(`${baseUrl}/api/trpc/${path}?input=${q}`, { headers: { cookie, ...headers } });
    },
  };
}

export async function trpcData<T>(res: Response): Promise<T> {
  const body = (await res.json()) as { result?: { data: { json: unknown; meta?: unknown } }; error?: unknown };
  if (!body.result) throw new Error(`tRPC error ${res.status}: ${JSON.stringify(body.error)}`);
  return superjson.deserialize(body.result.data as never) as T;
}
