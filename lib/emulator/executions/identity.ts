/**
 * Matching a model record to target records by the sync's identity (polytomic-api.md §5.2):
 * `Equality` as Salesforce compares text (ignoring case and surrounding spaces), `ISubstring`
 * (the target value contains the model's), `OneOf` (the model value lists candidates),
 * `DomainMatch` and `HostnameMatch` (web addresses or emails compared by domain or host name).
 */
import type { SalesforceRecord } from "../salesforce/store";

function normalised(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = (typeof value === "string" ? value : String(value)).trim().toLowerCase();
  return text === "" ? undefined : text;
}

function hostname(value: unknown): string | undefined {
  const text = normalised(value);
  if (text === undefined) return undefined;
  if (text.includes("@") && !text.includes("/")) return text.slice(text.lastIndexOf("@") + 1);
  try {
    return new URL(/^[a-z]+:\/\//.test(text) ? text : `http://${text}`).hostname;
  } catch {
    return undefined;
  }
}

function domain(value: unknown): string | undefined {
  return hostname(value)?.replace(/^www\./, "");
}

function candidates(value: unknown): string[] {
  const list = Array.isArray(value) ? value : String(value).split(",");
  return list.map(normalised).filter((entry): entry is string => entry !== undefined);
}

/** The key records are grouped under, so that duplicates in the model can be told apart. */
export function identityKey(fn: string, value: unknown): string | undefined {
  if (fn === "DomainMatch") return domain(value);
  if (fn === "HostnameMatch") return hostname(value);
  if (fn === "OneOf") return candidates(value).sort().join(",") || undefined;
  return normalised(value);
}

const NONE: readonly SalesforceRecord[] = Object.freeze([]);

/** Finds the target records a model value matches; Equality is looked up in an index. */
export class IdentityMatcher {
  private readonly index = new Map<string, SalesforceRecord[]>();

  constructor(
    private readonly fn: string,
    private readonly field: string,
    private readonly records: SalesforceRecord[],
  ) {
    if (fn !== "Equality") return;
    for (const record of records) {
      const key = normalised(record[field]);
      if (key === undefined) continue;
      const list = this.index.get(key);
      if (list === undefined) this.index.set(key, [record]);
      else list.push(record);
    }
  }

  /** The records `value` matches; `key` is its {@link identityKey}, already computed. */
  matches(
    value: unknown,
    key: string | undefined = identityKey(this.fn, value),
  ): readonly SalesforceRecord[] {
    if (this.fn === "Equality") {
      const found = key === undefined ? undefined : this.index.get(key);
      return found === undefined ? NONE : [...found];
    }
    const test = this.test(value);
    return test === undefined ? [] : this.records.filter((record) => test(record[this.field]));
  }

  /**
   * Keeps the matcher current after the execution writes a record. Not needed for Equality: a run
   * handles each identity key once (later duplicates are skipped), so nothing written in the run
   * is looked up again by it.
   */
  add(record: SalesforceRecord): void {
    if (this.fn === "Equality") return;
    const at = this.records.findIndex((r) => r.Id === record.Id);
    if (at < 0) this.records.push(record);
    else this.records[at] = record;
  }

  remove(record: SalesforceRecord): void {
    if (this.fn === "Equality") return;
    const at = this.records.findIndex((r) => r.Id === record.Id);
    if (at >= 0) this.records.splice(at, 1);
  }

  private test(value: unknown): ((target: unknown) => boolean) | undefined {
    const source = normalised(value);
    if (source === undefined) return undefined;
    switch (this.fn) {
      case "ISubstring":
        return (target) => normalised(target)?.includes(source) ?? false;
      case "OneOf": {
        const list = candidates(value);
        return (target) => list.includes(normalised(target) ?? "\u0000");
      }
      case "DomainMatch": {
        const wanted = domain(value);
        return (target) => wanted !== undefined && domain(target) === wanted;
      }
      case "HostnameMatch": {
        const wanted = hostname(value);
        return (target) => wanted !== undefined && hostname(target) === wanted;
      }
      default:
        return (target) => normalised(target) === source;
    }
  }
}
