import { createOutput } from "../../lib/cli/provision/output";
import { Redactor } from "../../lib/cli/provision/redact";

describe("Redactor", () => {
  test("masks raw, JSON-escaped and URL-encoded spellings, longest first", () => {
    const redactor = new Redactor();
    redactor.add('p@ss "word"\n');
    redactor.add("p@ss");
    const text = `raw p@ss "word"\n json "p@ss \\"word\\"\\n" url p%40ss%20%22word%22%0A short p@ss`;
    expect(redactor.apply(text)).toBe(
      'raw [redacted] json "[redacted]" url [redacted] short [redacted]',
    );
  });

  test("ignores empty secrets", () => {
    const redactor = new Redactor();
    redactor.add("");
    expect(redactor.apply("nothing to hide")).toBe("nothing to hide");
  });
});

test("the CLI's output redacts every line and keeps an error on one line", () => {
  const redactor = new Redactor();
  redactor.add("s3cret");
  const written: string[] = [];
  const stream = { write: (text: string) => written.push(text) };
  const output = createOutput(redactor, { stdout: stream, stderr: stream });
  output.info("key s3cret here");
  output.error("failed:\n  because s3cret\n  was wrong");
  expect(written).toEqual(["key [redacted] here\n", "failed: because [redacted] was wrong\n"]);
});
