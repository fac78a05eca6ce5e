/**
 * What one CLI run works with: the API client configured from the stack's API settings and the
 * environment, the secret reader, and the redacting output.
 */
import { PolytomicClient } from "../api";
import type { ApiSettings } from "../core/contract";
import { API_URL_ENV, DEFAULT_API_URL } from "../core/contract";
import { baseUrlProblem } from "../core/base-url";
import { ProvisionError } from "./errors";
import type { Output } from "./output";
import type { Redactor } from "./redact";

export interface Session {
  readonly client: PolytomicClient;
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
  /** The API's base URL, for messages. */
  readonly baseUrl: string;
  /** Registers a secret value so that nothing printed shows it; `source` says where it came from. */
  protect(value: string, source: string): void;
  /** The value of a secret variable, registered for redaction; a missing variable is an error. */
  secret(variable: string, purpose: string): string;
  /** Waits; injectable so tests need not sleep. */
  sleep(ms: number): Promise<void>;
  /** Epoch milliseconds. */
  now(): number;
}

export interface SessionOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly output: Output;
  readonly redactor: Redactor;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

function resolveBaseUrl(api: ApiSettings, env: NodeJS.ProcessEnv): string {
  const url = api.url ?? env[API_URL_ENV] ?? DEFAULT_API_URL;
  const problem = baseUrlProblem(url);
  if (problem) {
    const source = api.url ? "the stack's apiUrl setting" : API_URL_ENV;
    throw new ProvisionError(
      `${source} is ${JSON.stringify(url)}, which ${problem}; set it to the API's base URL, e.g. ${DEFAULT_API_URL}`,
    );
  }
  return url;
}

export function openSession(api: ApiSettings, options: SessionOptions): Session {
  const { env, output, redactor } = options;
  const protect = (value: string, source: string): void => redactor.add(value, source);
  const readSecret = (variable: string, purpose: string): string => {
    const value = env[variable];
    if (value === undefined || value === "") {
      // A "name" equal to some variable's value is a secret passed by mistake: never print it.
      const shown = Object.values(env).includes(variable) ? "named by the stack" : variable;
      throw new ProvisionError(
        `environment variable ${shown} is not set: export ${purpose} in it before running cdktf deploy`,
      );
    }
    protect(value, `environment variable ${variable} (${purpose})`);
    return value;
  };
  const apiKey = readSecret(api.key_variable, "your Polytomic API key");
  const baseUrl = resolveBaseUrl(api, env);
  const client = new PolytomicClient({
    baseUrl,
    apiKey,
    apiVersion: api.version,
    apiKeySource: `environment variable ${api.key_variable}`,
    redact: (text) => redactor.apply(text),
    onRetry: (info) =>
      output.info(
        `retrying ${info.method} ${info.path} after ${info.status ?? info.code ?? "a failure"} (attempt ${info.attempt}, waiting ${(info.delayMs / 1000).toFixed(1)} s)`,
      ),
  });
  return {
    client,
    output,
    env,
    baseUrl,
    protect,
    secret: readSecret,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
  };
}
