import crypto from "node:crypto";
import { getAuthSecret } from "../../auth.ts";

/** AES-256-GCM with a key derived (HKDF-SHA256) from the deployment secret: webhook URLs are encrypted at rest. */
function key(): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", getAuthSecret(), "inferledger", "alert-channel-secrets/v1", 32));
}

export function seal(plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(":");
}

export function open(sealed: string): string {
  const [version, iv, tag, data] = sealed.split(":");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("unknown secret format");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

/** What may be shown or logged of a webhook URL: scheme, host and the last 4 characters. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…${url.slice(-4)}`;
  } catch {
    return "(invalid url)";
  }
}

export function signBody(secret: string, timestamp: string, body: string): string {
  return `v1=${crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}
