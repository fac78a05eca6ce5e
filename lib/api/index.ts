/** The Polytomic API client used by the provisioning CLI; free of cdktf so it bundles small. */
export { DEFAULT_API_VERSION } from "../core/contract";
export { PolytomicClient } from "./client";
export type { PolytomicClientOptions } from "./client";
export {
  isNotFound,
  PolytomicApiError,
  PolytomicError,
  PolytomicNetworkError,
  PolytomicResponseError,
} from "./errors";
export type { ApiErrorDependent } from "./errors";
export type { RetryInfo } from "./retry";
export type * from "./types";
