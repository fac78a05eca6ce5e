/**
 * A SQL seed (`--seed FILE.sql`): statements separated by semicolons, run in order in one
 * transaction. They are split here, minding quotes and comments, only so that an error can name
 * the line its statement starts on; the engine parses each statement itself.
 */
import { readFileSync } from "node:fs";
import { CatalogError } from "./catalog-error";

export interface SeedStatement {
  readonly text: string;
  /** 1-based line of the file the statement starts on. */
  readonly line: number;
}

export interface SqlSeed {
  /** Names the seed in messages: its path, or `the posted seed`. */
  readonly name: string;
  readonly statements: readonly SeedStatement[];
}

/** Splits `text` at semicolons outside quotes, dollar quotes and comments. */
export function splitStatements(text: string): SeedStatement[] {
  const statements: SeedStatement[] = [];
  let start = 0;
  let index = 0;
  const lineAt = (offset: number): number => text.slice(0, offset).split("\n").length;
  const push = (end: number): void => {
    const chunk = text.slice(start, end);
    if (chunk.trim() !== "" && !isOnlyComments(chunk)) {
      statements.push({ text: chunk.trim(), line: lineAt(start + codeStart(chunk)) });
    }
  };
  while (index < text.length) {
    const char = text[index];
    const next = text[index + 1];
    if (char === "-" && next === "-") {
      const end = text.indexOf("\n", index);
      index = end < 0 ? text.length : end + 1;
    } else if (char === "/" && next === "*") {
      const end = text.indexOf("*/", index + 2);
      index = end < 0 ? text.length : end + 2;
    } else if (char === "'" || char === '"') {
      index = closingQuote(text, index, char);
    } else if (char === "$" && next === "$") {
      const end = text.indexOf("$$", index + 2);
      index = end < 0 ? text.length : end + 2;
    } else if (char === ";") {
      push(index);
      index += 1;
      start = index;
    } else {
      index += 1;
    }
  }
  push(text.length);
  return statements;
}

/** The offset after the quote closing the one at `open`; a doubled quote does not close. */
function closingQuote(text: string, open: number, quote: string): number {
  let index = open + 1;
  while (index < text.length) {
    if (text[index] === quote) {
      if (text[index + 1] === quote) index += 2;
      else return index + 1;
    } else {
      index += 1;
    }
  }
  return text.length;
}

/** Where the code of a chunk begins, past leading spaces and comments. */
function codeStart(chunk: string): number {
  const lead = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/.exec(chunk);
  return lead === null ? 0 : lead[0].length;
}

function isOnlyComments(chunk: string): boolean {
  return (
    chunk
      .replace(/--[^\n]*/g, "")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .trim() === ""
  );
}

export function loadSqlSeed(path: string): SqlSeed {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CatalogError(`cannot read seed file ${path}: ${(error as Error).message}`);
  }
  const statements = splitStatements(text);
  if (statements.length === 0) throw new CatalogError(`seed file ${path} holds no SQL statement`);
  return { name: `seed file ${path}`, statements };
}
