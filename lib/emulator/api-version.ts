/**
 * `X-Polytomic-Version` handling (polytomic-api.md §1.3). The header is optional and defaults to
 * 2025-09-18. Polytomic documents five versions; the emulator serves the two whose shapes it
 * implements (2024-02-08 differs only in the sync list) and refuses the older ones rather than
 * answering them with shapes they never had.
 */
import { ApiError } from "./errors";

export const DEFAULT_API_VERSION = "2025-09-18";

const SERVED_VERSIONS = ["2025-09-18", "2024-02-08"] as const;
const OLDER_DOCUMENTED_VERSIONS = ["2023-04-25", "2022-12-12", "2021-05-23"];

export type ApiVersion = (typeof SERVED_VERSIONS)[number];

function isServed(value: string): value is ApiVersion {
  return (SERVED_VERSIONS as readonly string[]).includes(value);
}

export type VersionResolution =
  | { readonly ok: true; readonly version: ApiVersion }
  | { readonly ok: false; readonly error: ApiError };

export function resolveApiVersion(header: string | string[] | undefined): VersionResolution {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === "") return { ok: true, version: DEFAULT_API_VERSION };
  if (isServed(value)) return { ok: true, version: value };
  const message = OLDER_DOCUMENTED_VERSIONS.includes(value)
    ? `X-Polytomic-Version ${value} is not served by the emulator; use ${SERVED_VERSIONS.join(" or ")}`
    : `unsupported X-Polytomic-Version ${JSON.stringify(value)}; supported versions: ${[...SERVED_VERSIONS, ...OLDER_DOCUMENTED_VERSIONS].join(", ")}`;
  return { ok: false, error: new ApiError(400, message) };
}
