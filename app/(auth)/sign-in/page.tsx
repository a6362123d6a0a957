"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "../../_components/auth-client.ts";

export default function SignInPage() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error } = await authClient.signIn.email({ email: String(form.get("email")), password: String(form.get("password")) });
    setPending(false);
    if (error) setError(error.message ?? "Sign-in failed");
    else router.replace("/");
  }

  return (
    <main className="auth-card">
      <h1>InferLedger</h1>
      <p className="muted">What every LLM inference really costs.</p>
      <form onSubmit={onSubmit} aria-label="Sign in">
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required minLength={8} />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={pending}>{pending ? "Signing in…" : "Sign in"}</button>
      </form>
      <p className="muted">
        No account? <Link href="/sign-up">Create one</Link>
      </p>
    </main>
  );
}
