/** The CLI's only way to print: every line is redacted and single-line. */
import type { Redactor } from "./redact";

export interface Output {
  info(line: string): void;
  /** The one line printed when the CLI fails. */
  error(line: string): void;
}

export interface Streams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export function createOutput(redactor: Redactor, streams: Streams): Output {
  const clean = (line: string): string => redactor.apply(line);
  return {
    info: (line) => streams.stdout.write(`${clean(line)}\n`),
    error: (line) => streams.stderr.write(`${clean(line).replace(/\s*\n\s*/g, " ")}\n`),
  };
}
