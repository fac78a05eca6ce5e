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

/** Finds the target records a model value matches; Equality is looked up in an index. */
export class IdentityMatcher {
  private readonly index = new Map<string, SalesforceRecord[]>();

  constructor(
    private readonly fn: string,
    private readonly field: string,
    private records: SalesforceRecord[],
  ) {
    if (fn === "Equality") for (const record of records) this.add(record);
  }

  matches(value: unknown): SalesforceRecord[] {
    if (this.fn === "Equality") {
      const key = normalised(value);
      return key === undefined ? [] : [...(this.index.get(key) ?? [])];
    }
    const test = this.test(value);
    return test === undefined ? [] : this.records.filter((record) => test(record[this.field]));
  }

  /** Keeps the matcher current after the execution writes a record. */
  add(record: SalesforceRecord): void {
    if (this.fn !== "Equality") {
      this.records = [...this.records.filter((r) => r.Id !== record.Id), record];
      return;
    }
    const key = normalised(record[this.field]);
    if (key === undefined) return;
    const list = this.index.get(key) ?? [];
    this.index.set(key, [...list.filter((r) => r.Id !== record.Id), record]);
  }

  remove(record: SalesforceRecord): void {
    if (this.fn !== "Equality") {
      this.records = this.records.filter((r) => r.Id !== record.Id);
      return;
    }
    const key = normalised(record[this.field]);
    if (key === undefined) return;
    this.index.set(
      key,
      (this.index.get(key) ?? []).filter((r) => r.Id !== record.Id),
    );
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
