/**
 * Route table for `/api`: path patterns with `:name` segments, and the distinction between an
 * unknown path (404) and a known path called with the wrong method (405 with `Allow`).
 */
import type { ApiVersion } from "./api-version";
import type { ExecutionService } from "./executions/service";
import type { LogSigner } from "./executions/log-urls";
import type { Scheduler } from "./executions/scheduler";
import type { JobRunner } from "./jobs";
import type { Outcome } from "./outcome";
import type { Actor, OrgState } from "./records";
import type { SalesforceStore } from "./salesforce/store";
import type { Warehouse } from "./warehouse/warehouse";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Server-wide settings and services the routes read. */
export interface EmulatorEnv {
  readonly warehouse: Warehouse;
  readonly salesforce: SalesforceStore;
  readonly executions: ExecutionService;
  readonly jobs: JobRunner;
  readonly logs: LogSigner;
  /** Present with `--run-schedules`. */
  readonly scheduler?: Scheduler;
  /** Salesforce browser/code OAuth: the person consents as soon as the hand-off is handed out. */
  readonly autoAuthorize: boolean;
  /** The embedded warehouse's password: Snowflake validation logs in with it. */
  readonly snowflakePassword: string;
  /** The emulator's absolute base URL, e.g. `http://127.0.0.1:41234`. */
  baseUrl(): string;
  /** The current time as an RFC 3339 timestamp. */
  now(): string;
}

export interface RequestContext {
  readonly org: OrgState;
  /** Who makes the request: the API key's user, or the person `X-Emulator-User` names. */
  readonly actor: Actor;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body of a POST or PUT; empty for other methods. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly version: ApiVersion;
  readonly env: EmulatorEnv;
}

export interface ApiRoute {
  readonly method: HttpMethod;
  readonly pattern: string;
  readonly handler: (context: RequestContext) => Outcome | Promise<Outcome>;
}

export type RouteMatch =
  | { readonly kind: "found"; readonly route: ApiRoute; readonly params: Record<string, string> }
  | { readonly kind: "wrong-method"; readonly allow: readonly string[] }
  | { readonly kind: "none" };

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const expected = pattern.split("/");
  const actual = path.split("/");
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of expected.entries()) {
    const value = actual[index];
    if (segment.startsWith(":")) {
      if (value === "") return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (segment !== value) {
      return undefined;
    }
  }
  return params;
}

export class Router {
  constructor(private readonly routes: readonly ApiRoute[]) {}

  match(method: string, path: string): RouteMatch {
    const allow: string[] = [];
    for (const route of this.routes) {
      const params = matchPattern(route.pattern, path);
      if (params === undefined) continue;
      if (route.method === method) return { kind: "found", route, params };
      allow.push(route.method);
    }
    return allow.length > 0 ? { kind: "wrong-method", allow } : { kind: "none" };
  }
}
