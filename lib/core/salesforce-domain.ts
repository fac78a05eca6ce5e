/** A Salesforce `domain` as Polytomic takes it: a login host name, or an https URL with no path. */

const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** The login host named by `domain`, lower-cased, or undefined when it names none. */
export function salesforceLoginHost(domain: unknown): string | undefined {
  if (typeof domain !== "string") return undefined;
  const text = domain.trim();
  let host = text;
  if (/^https:\/\//i.test(text)) {
    if (!URL.canParse(text)) return undefined;
    const url = new URL(text);
    const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
    host = bare ? url.hostname : "";
  }
  return HOST.test(host) ? host.toLowerCase() : undefined;
}
