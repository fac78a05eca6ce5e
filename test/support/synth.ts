/** Helpers to synthesize stacks in tests and read what they hold. */
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TerraformStack } from "cdktf";
import { App, Testing } from "cdktf";
import { STACK_FILE } from "../../lib/core/contract";
import type { StackFile } from "../../lib/core/stack-file";

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An app that writes into a fresh temporary directory. */
export function testApp(): App {
  return Testing.stubVersion(
    new App({ outdir: mkdtempSync(join(tmpdir(), "polytomic-synth-")), skipValidation: false }),
  );
}

export function synthJson(stack: TerraformStack): Json {
  return JSON.parse(Testing.synth(stack, true));
}

/** The synthesized JSON with content hashes of the CLI asset replaced, for snapshots. */
export function normalisedSynth(stack: TerraformStack): string {
  return Testing.synth(stack, true).replace(
    /assets\/([^/"]+)\/[0-9A-F]{32}\//g,
    "assets/$1/<hash>/",
  );
}

/** Resources of one type keyed by logical id. */
export function resources(json: Json, type: string): Record<string, Json> {
  return json.resource?.[type] ?? {};
}

export interface Provisioner {
  command: string;
  interpreter: string[];
  environment: Record<string, string>;
  when?: string;
}

export function provisioners(resource: Json): Provisioner[] {
  return (resource.provisioner ?? []).map((entry: Json) => entry["local-exec"]);
}

/**
 * A declaration resource's `input` as the configuration holds it: JSON text (read here with its
 * literal text still escaped, as written), or an object when the declaration uses Terraform values.
 */
export function inputOf(resource: Json): Json {
  return typeof resource.input === "string" ? JSON.parse(resource.input) : resource.input;
}

/** The per-object resources (those carrying a declaration) keyed by the object's name. */
export function declarations(json: Json): Record<string, Json> {
  const byName: Record<string, Json> = {};
  for (const resource of Object.values(resources(json, "terraform_data"))) {
    // The claim: the plan time of the first deploy, or "adopted".
    if (typeof resource.triggers_replace === "string")
      byName[unescapeTemplate(inputOf(resource).name)] = resource;
  }
  return byName;
}

/** The declaration (the resource's `input`) of the object named `name`. */
export function declarationOf(json: Json, name: string): Json {
  const found = declarations(json)[name];
  if (!found) throw new Error(`no declaration named ${JSON.stringify(name)}`);
  return inputOf(found);
}

/** The stack file a full synth wrote next to cdk.tf.json. */
export function stackFileIn(dir: string): StackFile {
  return JSON.parse(readFileSync(join(dir, STACK_FILE), "utf8")) as StackFile;
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Full synth (with assets) and the stack's output directory. */
export function fullSynth(stack: TerraformStack): { dir: string; json: Json } {
  const outdir = Testing.fullSynth(stack);
  const dir = join(outdir, "stacks", stack.node.id);
  return { dir, json: JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) };
}

/**
 * Every `${...}` Terraform would evaluate in a string of the synthesized JSON (braces may nest),
 * scanning as Terraform does: `$${` and `%%{` are escapes for literal `${` and `%{`.
 */
export function expressions(text: string): string[] {
  const found: string[] = [];
  for (let start = 0; start < text.length; start += 1) {
    if (text.startsWith("$${", start) || text.startsWith("%%{", start)) {
      start += 2;
      continue;
    }
    if (!text.startsWith("${", start) && !text.startsWith("%{", start)) continue;
    let depth = 0;
    for (let end = start + 1; end < text.length; end += 1) {
      if (text[end] === "{") depth += 1;
      else if (text[end] === "}" && --depth === 0) {
        found.push(text.slice(start, end + 1));
        start = end;
        break;
      }
    }
  }
  return found;
}

/**
 * What Terraform reads from an escaped literal: `$${` is `${`, `%%{` is `%{`, and
 * `${"\uXXXX"}` the character it names (how a Prepend character is written).
 */
export function unescapeTemplate(text: string): string {
  let out = "";
  const pattern = /\$\{"\\(?:u([0-9A-F]{4})|U([0-9A-F]{8}))"\}|([$%])\3\{/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out += text.slice(last, match.index);
    const code = match[1] ?? match[2];
    out += code ? String.fromCodePoint(parseInt(code, 16)) : `${match[3]}{`;
    last = (match.index ?? 0) + match[0].length;
  }
  return out + text.slice(last);
}

/** Every string value in a JSON document, where Terraform evaluates templates. */
export function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([key, member]) => [key, ...strings(member)]);
  return [];
}

/** The library's own expressions: claims, references to its own resources, and run markers. */
export const ALLOWED_EXPRESSION = new RegExp(
  [
    "^\\$\\{(plantimestamp\\(\\)|uuid\\(\\))\\}$",
    "^\\$\\{terraform_data\\.[\\w-]+\\.triggers_replace\\}$",
    "^\\$\\{terraform_data\\.polytomic_inventory\\.input\\}$",
    "^\\$\\{(self|terraform_data\\.polytomic_inventory)\\.input\\.(api|connection|model|sync)\\}$",
    // A Prepend character, which Terraform's JSON parser cannot read as itself.
    '^\\$\\{"\\\\(u[0-9A-F]{4}|U[0-9A-F]{8})"\\}$',
  ].join("|"),
);
