/** What makes a usable API base URL, checked the same way at synth, at apply and by the client. */

/** Why `value` is not a base URL for the Polytomic API, or undefined when it is one. */
export function baseUrlProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || !URL.canParse(value)) return "is not an absolute URL";
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") return "is not an http(s) URL";
  if (url.search !== "" || url.hash !== "") return "has a query string or fragment";
  if (url.username !== "" || url.password !== "") return "carries credentials";
  return undefined;
}

/** The URL without trailing slashes, as paths are appended to it. */
export function normaliseBaseUrl(value: string): string {
  return new URL(value).href.replace(/\/+$/, "");
}
