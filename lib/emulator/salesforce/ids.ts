/**
 * Salesforce record ids: 15 case-sensitive characters (the object's three-character prefix, then
 * the record's number) and the three-character suffix that makes the 18-character form
 * case-insensitive, computed as Salesforce does.
 */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/** The 3-character suffix of a 15-character id: one character per 5-character chunk, a bit per uppercase letter. */
export function idSuffix(id15: string): string {
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let index = 0; index < 5; index += 1) {
      const char = id15[chunk * 5 + index];
      if (char >= "A" && char <= "Z") bits |= 1 << index;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/** The 18-character id of record number `sequence` of the object with `prefix`. */
export function recordId(prefix: string, sequence: number): string {
  let digits = "";
  for (let rest = sequence; rest > 0; rest = Math.floor(rest / 62)) {
    digits = BASE62[rest % 62] + digits;
  }
  // "Em" stands where Salesforce writes the instance, "0" for the reserved character.
  const id15 = `${prefix}Em0${digits.padStart(9, "0")}`;
  return id15 + idSuffix(id15);
}

const ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;

/** The 18-character form of a 15- or 18-character id, or undefined if `value` is not an id. */
export function normaliseId(value: string): string | undefined {
  if (!ID.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  return id15 + idSuffix(id15);
}
