/**
 * Shapes of the connection create and update bodies (polytomic-api.md §3.2), and checks of the
 * settings around `configuration`.
 */
import { badRequest } from "../errors";
import type { Infer } from "./shape";
import { anyValue, array, boolean, object, opt, record, req, string } from "./shape";

const common = {
  name: req(string({ nonEmpty: true })),
  configuration: req(record(anyValue)),
  validate: opt(boolean),
  healthcheck_interval: opt(string()),
  organization_id: opt(string()),
  policies: opt(array(string())),
};

export const createConnectionBody = object({
  ...common,
  type: req(string({ nonEmpty: true })),
  redirect_url: opt(string()),
});

export const updateConnectionBody = object({
  ...common,
  type: opt(string()),
  reconnect: opt(boolean),
});

export type CreateConnectionBody = Infer<typeof createConnectionBody>;
export type UpdateConnectionBody = Infer<typeof updateConnectionBody>;

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** `healthcheck_interval` is a Go duration such as `3h30m`. */
export function checkHealthcheckInterval(value: string | undefined): void {
  if (value !== undefined && !GO_DURATION.test(value)) {
    throw badRequest(
      `healthcheck_interval must be a duration such as "30m" or "3h30m", received ${JSON.stringify(value)}`,
      { field: "healthcheck_interval" },
    );
  }
}

/** Where the OAuth flow sends the browser back: an absolute http(s) URL. */
export function checkRedirectUrl(value: string | undefined): void {
  if (value === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw badRequest(
      `redirect_url must be an absolute http or https URL, received ${JSON.stringify(value)}`,
      { field: "redirect_url" },
    );
  }
}
