/**
 * The log behind `GET /emulator/requests`: every request served (outside /emulator), in the order
 * their responses were decided, so tests can assert what a client actually sent.
 */
export interface LoggedRequest {
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly status: number;
  readonly idempotency_key?: string;
  /** The write was committed but the response was deliberately lost (dropRate). */
  readonly dropped?: true;
}

export function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    Object.defineProperty(result, key, {
      value: values.length === 1 ? values[0] : values,
      enumerable: true,
    });
  }
  return result;
}

/**
 * The log keeps the latest requests only, so that an emulator left running in CI does not grow
 * without bound; a test reads far fewer than this.
 */
export const REQUEST_LOG_LIMIT = 100_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > REQUEST_LOG_LIMIT)
      this.entries.splice(0, this.entries.length - REQUEST_LOG_LIMIT);
  }

  list(): readonly LoggedRequest[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
  }
}
