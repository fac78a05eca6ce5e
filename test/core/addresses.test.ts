/**
 * Terraform addresses of the per-object resources: derived from kind and name, readable, made of
 * the characters Terraform allows, and injective, so that two different names never share one.
 */
import fc from "fast-check";
import { decodeName, encodeName, resourceName } from "../../lib/core/addresses";
import { OBJECT_KINDS } from "../../lib/core/contract";

const TERRAFORM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

test("plain names stay readable", () => {
  expect(resourceName("model", "Active Users")).toBe("model_Active-Users");
  expect(resourceName("sync", "Snowflake to Salesforce Sync")).toBe(
    "sync_Snowflake-to-Salesforce-Sync",
  );
  expect(resourceName("connection", "a-b_c (d)")).toBe("connection_a_-b__c-_28_d_29_");
});

test("every name decodes back from its encoding (so no two names share one)", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 60 }), (name) => {
      expect(decodeName(encodeName(name))).toBe(name);
    }),
    { numRuns: 2000 },
  );
});

test("addresses use only the characters Terraform allows in resource names", () => {
  fc.assert(
    fc.property(fc.constantFrom(...OBJECT_KINDS), fc.string({ unit: "binary" }), (kind, name) => {
      expect(resourceName(kind, name)).toMatch(TERRAFORM_NAME);
    }),
    { numRuns: 1000 },
  );
});

test("near-identical names that a slug would merge stay apart", () => {
  const names = ["a b", "a-b", "a_b", "a.b", "a  b", "a b ", "A b", "a\u00a0b", "a_20_b", "a-_b"];
  const encoded = names.map(encodeName);
  expect(new Set(encoded).size).toBe(names.length);
});

test("text that no name encodes to is recognised", () => {
  expect(decodeName("a_zz_")).toBeUndefined();
  expect(decodeName("a_")).toBeUndefined();
  expect(decodeName("a.b")).toBeUndefined();
});
