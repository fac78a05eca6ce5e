/**
 * Turning the engine's JSON-friendly values into what Polytomic hands a sync: numbers as numbers
 * (unless too large for JavaScript), dates as `YYYY-MM-DD`, timestamps in RFC 3339.
 */

export type Converter = (value: unknown) => unknown;

const same: Converter = (value) => value;

function number(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const parsed = Number(value);
  return Number.isFinite(parsed) && (Number.isSafeInteger(parsed) || !/^-?\d+$/.test(value))
    ? parsed
    : value;
}

function timestamp(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return `${value.replace(" ", "T")}Z`;
}

function timestampTz(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const parsed = new Date(value.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"));
  return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString().replace(".000Z", "Z");
}

/** How to convert the values of a column of engine type `engineType`. */
export function converterFor(engineType: string): Converter {
  if (
    /^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$|^DECIMAL\(|^(FLOAT|DOUBLE)$/.test(engineType)
  ) {
    return number;
  }
  if (/^TIMESTAMP(_S|_MS|_NS)?$/.test(engineType)) return timestamp;
  if (engineType === "TIMESTAMP WITH TIME ZONE") return timestampTz;
  return same;
}
