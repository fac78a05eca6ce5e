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

export class RequestLog {
  private entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  list(): readonly LoggedRequest[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
  }
}
