/**
 * Terraform addresses of the per-object resources. An address is derived from the object's kind
 * and name (its identity), so that a plan names the object, a rename plans as a destroy of the old
 * name and a create of the new one, and refactoring construct ids changes nothing.
 *
 * The encoding is injective, so two different names can never share an address: letters and digits
 * stay as they are, a space becomes `-`, `_` and `-` are escaped as `__` and `_-`, and any other
 * character becomes `_<hex code point>_`. Decoding reads `_` followed by `_`, `-` or hex digits
 * unambiguously.
 */
import type { ObjectKind } from "./contract";

function encodeChar(char: string): string {
  if (/^[A-Za-z0-9]$/.test(char)) return char;
  if (char === " ") return "-";
  if (char === "_") return "__";
  if (char === "-") return "_-";
  return `_${char.codePointAt(0)!.toString(16)}_`;
}

/** The name as Terraform resource names may spell it (letters, digits, `_` and `-`). */
export function encodeName(name: string): string {
  return Array.from(name, encodeChar).join("");
}

/** The inverse of {@link encodeName}; undefined for text it cannot have produced. */
export function decodeName(encoded: string): string | undefined {
  let name = "";
  for (let i = 0; i < encoded.length;) {
    const char = encoded[i];
    if (char === "-") {
      name += " ";
      i += 1;
    } else if (char !== "_") {
      if (!/[A-Za-z0-9]/.test(char)) return undefined;
      name += char;
      i += 1;
    } else if (encoded[i + 1] === "_" || encoded[i + 1] === "-") {
      name += encoded[i + 1];
      i += 2;
    } else {
      const end = encoded.indexOf("_", i + 1);
      const hex = end > i + 1 ? encoded.slice(i + 1, end) : "";
      if (!/^[0-9a-f]+$/.test(hex)) return undefined;
      name += String.fromCodePoint(parseInt(hex, 16));
      i = end + 1;
    }
  }
  return name;
}

/** The resource name (after `terraform_data.`) of an object: `model_Active-Users`. */
export function resourceName(kind: ObjectKind, name: string): string {
  return `${kind}_${encodeName(name)}`;
}
