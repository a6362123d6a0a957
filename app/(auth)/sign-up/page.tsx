"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "../../_components/auth-client.ts";

export default function SignUpPage() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error } = await authClient.signUp.email({
      name: String(form.get("name")),
      email: String(form.get("email")),
      password: String(form.get("password")),
    });
    setPending(false);
    if (error) setError(error.message ?? "Sign-up failed");
    else router.replace("/");
  }

  return (
    <main className="auth-card">
      <h1>Create your account</h1>
      <form onSubmit={onSubmit} aria-label="Sign up">
        <label>
          Name
          <input name="name" required maxLength={100} />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password (8+ characters)
          <input name="password" type="password" autoComplete="new-password" required minLength={8} />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={pending}>{pending ? "Creating…" : "Create account"}</button>
      </form>
      <p className="muted">
        Have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </main>
  );
}
