/**
 * Reads the spec a provisioner passes in {@link SPEC_ENV}. Delete specs live in Terraform state and
 * may have been written by an older CLI, so every schema_version up to ours stays readable.
 */
import { decodeSpec } from "../../core/canonical-json";
import type { DeleteSpec, ObjectSpec, Verb } from "../../core/contract";
import { OBJECT_KINDS, SCHEMA_VERSION, SPEC_ENV } from "../../core/contract";
import { ProvisionError } from "./errors";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readSpec(verb: "upsert", env: NodeJS.ProcessEnv): ObjectSpec;
export function readSpec(verb: "delete", env: NodeJS.ProcessEnv): DeleteSpec;
export function readSpec(verb: Verb, env: NodeJS.ProcessEnv): ObjectSpec | DeleteSpec {
  const encoded = env[SPEC_ENV];
  if (!encoded) {
    throw new ProvisionError(
      `${SPEC_ENV} is not set: this command is run by the provisioners of a stack synthesized by cdktf-polytomic, not by hand`,
    );
  }
  return parseSpec(verb, encoded);
}

/** Decodes and checks an encoded spec (from the environment, or from the stack's configuration). */
export function parseSpec(verb: "upsert", encoded: string): ObjectSpec;
export function parseSpec(verb: Verb, encoded: string): ObjectSpec | DeleteSpec;
export function parseSpec(verb: Verb, encoded: string): ObjectSpec | DeleteSpec {
  let spec: unknown;
  try {
    spec = decodeSpec(encoded);
  } catch {
    throw new ProvisionError(
      `${SPEC_ENV} does not hold a base64-encoded JSON spec; re-synthesize the stack`,
    );
  }
  if (!isRecord(spec) || typeof spec.schema_version !== "number") {
    throw new ProvisionError(`${SPEC_ENV} holds no schema_version; re-synthesize the stack`);
  }
  if (spec.schema_version > SCHEMA_VERSION) {
    throw new ProvisionError(
      `the spec has schema_version ${spec.schema_version} but this CLI reads versions up to ${SCHEMA_VERSION}; synthesize with the cdktf-polytomic version that wrote it or newer`,
    );
  }
  const kind = spec.kind;
  if (
    typeof kind !== "string" ||
    !(OBJECT_KINDS as readonly string[]).includes(kind) ||
    typeof spec.name !== "string" ||
    !isRecord(spec.api)
  ) {
    throw new ProvisionError(
      `${SPEC_ENV} is not a cdktf-polytomic ${verb} spec (kind, name or api missing); re-synthesize the stack`,
    );
  }
  return spec as unknown as ObjectSpec | DeleteSpec;
}
