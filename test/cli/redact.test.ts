import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ProvisionError } from "../../lib/cli/errors";
import { createOutput } from "../../lib/cli/output";
import { MIN_SECRET_LENGTH, Redactor } from "../../lib/cli/redact";
import { openSession } from "../../lib/cli/session";
import { KEY, TestEmulator } from "../emulator/helpers";
import { CliStack, snowflake } from "../support/cli";

/** The three leaks of issue 13: a cut, folded whitespace and a stripped tag in front of the mask. */
const CUT_SECRET = "Tr0ub4dor&3-correct-horse-battery-staple";
const FOLDED_SECRET = "correct  horse\nbattery";
const TAGGED_SECRET = "hunter<3>xyz-secret";

describe("Redactor", () => {
  test("masks raw, JSON-escaped and URL-encoded spellings, longest first", () => {
    const redactor = new Redactor();
    redactor.add('p@ss "word"\n');
    redactor.add("p@ss-word");
    const text = `raw p@ss "word"\n json "p@ss \\"word\\"\\n" url p%40ss%20%22word%22%0A short p@ss-word`;
    expect(redactor.apply(text)).toBe(
      'raw [redacted] json "[redacted]" url [redacted] short [redacted]',
    );
  });

  test("masks a secret whole when a shorter one is part of it, whatever the spelling", () => {
    const redactor = new Redactor();
    redactor.add("s3cret-part");
    redactor.add('s3cret-part "and" the rest');
    expect(redactor.apply('body {"password":"s3cret-part \\"and\\" the rest"}')).toBe(
      'body {"password":"[redacted]"}',
    );
    expect(redactor.apply("a s3cret-part alone")).toBe("a [redacted] alone");
  });

  test.each([
    ["folded whitespace", FOLDED_SECRET, "bad password correct horse battery for loader"],
    ["a newline for a space", "correct horse battery staple", "got correct\nhorse battery\tstaple"],
    [
      "tags and entities",
      "correct horse battery staple",
      "<p>correct<br>horse&nbsp;battery staple",
    ],
    ["HTML-escaped", TAGGED_SECRET, "<td>hunter&lt;3&gt;xyz-secret</td>"],
    ["JSON-escaped newline", FOLDED_SECRET, '{"password":"correct  horse\\nbattery"}'],
    ["form-encoded", "Tr0ub4dor&3 x!y", "dsn?password=Tr0ub4dor%263+x%21y&user=a"],
    ["URL-encoded", "Tr0ub4dor&3 x!y", "dsn?password=Tr0ub4dor%263%20x!y&user=a"],
  ])("masks the secret %s", (_name, secret, text) => {
    const redactor = new Redactor();
    redactor.add(secret);
    const masked = redactor.apply(text);
    expect(masked).toContain("[redacted]");
    for (const word of ["horse", "battery", "Tr0ub4dor", "xyz-secret", "x%21y", "x!y"])
      expect(masked).not.toContain(word);
  });

  test("leaves text around a masked secret alone", () => {
    const redactor = new Redactor();
    redactor.add("correct horse battery staple");
    expect(redactor.apply("a correct horse and a battery staple")).toBe(
      "a correct horse and a battery staple",
    );
  });

  test("ignores empty secrets", () => {
    const redactor = new Redactor();
    redactor.add("");
    expect(redactor.apply("nothing to hide")).toBe("nothing to hide");
  });

  test.each(["a", "abc", "1234567", "  abc\n  "])(
    "refuses %j, too short to mask, naming the variable and the fix, never the value",
    (value) => {
      const redactor = new Redactor();
      const refusal = (): void => redactor.add(value, "environment variable SNOWFLAKE_PASSWORD");
      expect(refusal).toThrow(ProvisionError);
      expect(refusal).toThrow(
        `environment variable SNOWFLAKE_PASSWORD holds fewer than ${MIN_SECRET_LENGTH} characters, too short to mask in the output without masking ordinary text too; ` +
          `set it to the real credential (at least ${MIN_SECRET_LENGTH} characters) before running cdktf deploy`,
      );
      // Nothing was registered: ordinary text stays as it is.
      expect(redactor.apply("a abc 1234567 sync")).toBe("a abc 1234567 sync");
    },
  );

  test("accepts a secret of exactly the shortest length", () => {
    const redactor = new Redactor();
    redactor.add("12345678", "PIN");
    expect(redactor.apply("pin 12345678")).toBe("pin [redacted]");
  });
});

test("the CLI's output redacts every line, and prints one line per problem of an error", () => {
  const redactor = new Redactor();
  redactor.add("s3cret-value");
  const written: string[] = [];
  const stream = { write: (text: string) => written.push(text) };
  const output = createOutput(redactor, { stdout: stream, stderr: stream });
  output.info("key s3cret-value here");
  output.error("failed:\n  because s3cret-value\n  was wrong");
  expect(written).toEqual([
    "key [redacted] here\n",
    "failed:\n  because [redacted]\n  was wrong\n",
  ]);
});

describe("server messages through a CLI session are masked before they are shortened", () => {
  let server: Server;
  let reply: { status: number; type: string; body: string };

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        response.writeHead(reply.status, { "content-type": reply.type });
        response.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** What the CLI prints when creating a connection fails after `secret` was read. */
  async function printedFailure(secret: string): Promise<string> {
    const env = {
      POLYTOMIC_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      POLYTOMIC_API_KEY: "pk_test_session_key_0123",
      SNOWFLAKE_PASSWORD: secret,
    };
    const redactor = new Redactor();
    const written: string[] = [];
    const stream = { write: (text: string) => written.push(text) };
    const output = createOutput(redactor, { stdout: stream, stderr: stream });
    const session = openSession(
      { version: "2025-09-18", key_variable: "POLYTOMIC_API_KEY" },
      { env, output, redactor },
    );
    const password = session.secret("SNOWFLAKE_PASSWORD", "the password");
    try {
      await session.client.createConnection({
        name: "Warehouse",
        type: "snowflake",
        configuration: { password },
      });
    } catch (error) {
      output.error(`cdktf-polytomic deploy failed: ${(error as Error).message}`);
    } finally {
      await session.client.close();
    }
    return written.join("");
  }

  test("a message cut at 300 characters", async () => {
    // Before masking, the cut fell inside the password and printed `password=Tr0ub4dor&3-corr…`.
    const padding = `${"x".repeat(273)} `;
    reply = {
      status: 422,
      type: "application/json",
      body: JSON.stringify({ message: `${padding}password=${CUT_SECRET}` }),
    };
    expect(await printedFailure(CUT_SECRET)).toBe(
      `cdktf-polytomic deploy failed: POST /api/connections failed: 422 ${padding}password=[redacted]\n`,
    );
  });

  test("a message whose whitespace is folded", async () => {
    // Before: `correct horse battery`.
    reply = {
      status: 422,
      type: "application/json",
      body: JSON.stringify({ message: `invalid password ${FOLDED_SECRET} for loader` }),
    };
    expect(await printedFailure(FOLDED_SECRET)).toBe(
      "cdktf-polytomic deploy failed: POST /api/connections failed: 422 invalid password [redacted] for loader\n",
    );
  });

  test("an HTML page whose tags are stripped", async () => {
    // Before: `hunter xyz-secret`.
    reply = {
      status: 400,
      type: "text/html",
      body: `<html><body><p>invalid password ${TAGGED_SECRET}</p></body></html>`,
    };
    expect(await printedFailure(TAGGED_SECRET)).toBe(
      'cdktf-polytomic deploy failed: POST /api/connections failed: 400 error response is not JSON (text/html): "invalid password [redacted]"\n',
    );
  });
});

test("the bundled CLI refuses a secret too short to mask, naming its variable", async () => {
  const emulator = await TestEmulator.start();
  try {
    const result = await new CliStack([snowflake()]).run("deploy", {
      POLYTOMIC_API_URL: emulator.url,
      POLYTOMIC_API_KEY: KEY,
      SNOWFLAKE_PASSWORD: "a",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `cdktf-polytomic deploy failed: environment variable SNOWFLAKE_PASSWORD (the password of connection "Snowflake Connection") holds fewer than ${MIN_SECRET_LENGTH} characters, too short to mask in the output without masking ordinary text too; ` +
        `set it to the real credential (at least ${MIN_SECRET_LENGTH} characters) before running cdktf deploy\n`,
    );
    expect(result.stdout).not.toMatch(/\[redacted\]/);
  } finally {
    await emulator.close();
  }
});

test("a secret that cannot be URL-encoded is still masked as written", () => {
  const redactor = new Redactor();
  const secret = "pass\uD800word-1";
  redactor.add(secret);
  expect(redactor.apply(`got ${secret}`)).toBe("got [redacted]");
});
