/**
 * Terraform reads every string of a JSON configuration as a template: `${...}` interpolates and
 * `%{...}` runs a directive. User text written into the configuration (queries, names, mapping
 * targets) must stay literal, so each `${` becomes `$${` and each `%{` becomes `%%{`, scanning left
 * to right (measured on Terraform 1.11: every such text round-trips byte-identical, `$$${x}`
 * included). cdktf does not do this for plain strings.
 *
 * Terraform's JSON parser also fails on a character of Unicode's grapheme-cluster class Prepend
 * (U+0600 ARABIC NUMBER SIGN, U+0D4E MALAYALAM LETTER DOT REPH, …) written as itself: it joins the
 * character with the quote or backslash after it, and the file no longer parses (measured on
 * Terraform 1.11.4, in any string of the file). In a plain string each is written as the template
 * `${"\uXXXX"}`, which yields the same character; in JSON text (which Terraform keeps as it reads
 * it) as the JSON escape `\uXXXX`, which whoever parses the text decodes.
 */

/** Grapheme_Cluster_Break=Prepend (Unicode 15, the tables Terraform 1.11 uses). */
const PREPEND =
  /[\u0600-\u0605\u06DD\u070F\u0890-\u0891\u08E2\u0D4E\u{110BD}\u{110CD}\u{111C2}-\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}]/gu;

/** The template expression that yields `character`. */
function literal(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  const escape =
    code > 0xffff
      ? `\\U${code.toString(16).toUpperCase().padStart(8, "0")}`
      : `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return `\${"${escape}"}`;
}

/** Only `${` and `%{` escaped: for text that JSON encoding will carry (names in JSON text). */
export function escapeTemplateMarkers(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}

/** A plain string of the configuration, read by Terraform as exactly `text`. */
export function escapeTemplate(text: string): string {
  return escapeTemplateMarkers(text).replace(PREPEND, literal);
}

/** JSON text with each Prepend character written as a JSON escape (UTF-16 units). */
export function escapePrependInJson(json: string): string {
  return json.replace(PREPEND, (character) =>
    character
      .split("")
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)
      .join(""),
  );
}

/** `value` as JSON text that Terraform reads as itself and any JSON parser as `value`. */
export function configurationJson(value: unknown): string {
  return escapePrependInJson(escapeTemplateMarkers(JSON.stringify(value)));
}
