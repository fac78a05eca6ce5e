import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forgetAll, KnownIds } from "../../lib/cli/provision/known-ids";

describe("KnownIds", () => {
  let clock = 0;
  const cwd = process.cwd();
  beforeEach(() => {
    process.chdir(mkdtempSync(join(tmpdir(), "known-ids-")));
    clock = 1_000_000;
  });
  afterEach(() => process.chdir(cwd));

  const known = (url = "http://api.test") => new KnownIds(url, () => clock);

  test("recalls what was remembered, by kind and name, for ten minutes", () => {
    known().remember("connection", {
      id: "c1",
      name: "Warehouse",
      type: "snowflake",
      status: "healthy",
    });
    expect(known().recall("connection", "Warehouse")).toMatchObject({
      id: "c1",
      type: "snowflake",
      status: "healthy",
    });
    expect(known().recall("model", "Warehouse")).toBeUndefined();
    expect(known().recall("connection", "Other")).toBeUndefined();
    clock += 10 * 60 * 1000 + 1;
    expect(known().recall("connection", "Warehouse")).toBeUndefined();
  });

  test("is scoped to the API URL", () => {
    known("http://one.test").remember("model", { id: "m1", name: "Users" });
    expect(known("http://two.test").recall("model", "Users")).toBeUndefined();
  });

  test("a listing of syncs serves for a minute only", () => {
    known().rememberSyncList([{ id: "s1", name: "A" }]);
    clock += 59_000;
    expect(known().recallSyncList()).toEqual([{ id: "s1", name: "A" }]);
    clock += 2_000;
    expect(known().recallSyncList()).toBeUndefined();
  });

  test("forgetAll drops everything", () => {
    known().remember("sync", { id: "s1", name: "A" });
    forgetAll();
    expect(known().recall("sync", "A")).toBeUndefined();
  });
});
