/** The CLI's only way to print: every line is redacted before it is written. */
import type { Redactor } from "./redact";

export interface Output {
  info(line: string): void;
  /** What the CLI prints when it fails: one line per problem. */
  error(text: string): void;
}

export interface Streams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export function createOutput(redactor: Redactor, streams: Streams): Output {
  const clean = (text: string): string => redactor.apply(text);
  return {
    info: (line) => streams.stdout.write(`${clean(line)}\n`),
    error: (text) => {
      const lines = clean(text)
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "");
      streams.stderr.write(
        `${lines.map((line, i) => (i === 0 ? line : `  ${line}`)).join("\n")}\n`,
      );
    },
  };
}
