/**
 * The Terraform resources behind Polytomic objects, for each engine.
 *
 * Per object, an *apply* resource keyed by the digest of its spec: when the spec changes it is
 * replaced and its create-time provisioner runs `cli.cjs upsert`.
 *
 * Per kind, one *lifecycle* resource with an instance per object (for_each keyed by the object's
 * name), whose destroy-time provisioner runs `cli.cjs delete` with the spec kept in its own state
 * (destroy provisioners may read only `self`). Because the resource block stays in the
 * configuration when an object leaves the code, Terraform runs that provisioner for removed
 * instances too, so the object is deleted rather than orphaned. `create_before_destroy` makes
 * Terraform destroy removed instances only after the objects that depended on them were updated:
 * a renamed connection is deleted after its models were repointed, not before (measured on
 * Terraform 1.11; see DESIGN.md §2.3-2.4).
 *
 * Per stack, one *reconcile* resource whose triggers hold the id of every apply resource, so it is
 * replaced (and its provisioner runs `cli.cjs reconcile`) after any apply resource was (re)created:
 * it re-applies objects whose upsert an interrupted apply recorded but never ran (see the contract).
 *
 * Provisioners exec `node` through `interpreter` with a constant command (the verb): no shell, and
 * no user text in any Terraform expression.
 */
import type { Verb } from "../core/contract";
import { SPEC_ENV } from "../core/contract";
import type { Construct, LocalExecProvisioner, TerraformResource } from "./cdktf";
import { Lazy, NullResource, TerraformIterator } from "./cdktf";
import { TerraformData } from "./terraform-data";
import type { Engine } from "./settings";

/** Lifecycle entries: lifecycle key -> encoded delete spec. */
export type LifecycleEntries = () => Record<string, { spec: string }>;

function provisioner(
  verb: Verb,
  cliPath: string,
  spec?: string,
  when?: "destroy",
): LocalExecProvisioner {
  return {
    type: "local-exec",
    interpreter: ["node", cliPath],
    command: verb,
    ...(spec === undefined ? {} : { environment: { [SPEC_ENV]: spec } }),
    ...(when ? { when } : {}),
  };
}

/** Every apply resource: the reconcile step re-runs whenever one of them is (re)created. */
export type Applies = () => TerraformResource[];

/**
 * A resource's Terraform address. Dependencies and the reconcile step's references are written as
 * plain text rather than as cdktf tokens: each token records a full stack trace when created, which
 * cost a stack of 1000 syncs about a third of its synth (measured).
 */
const addresses = new WeakMap<TerraformResource, string>();

function address(resource: TerraformResource): string {
  let known = addresses.get(resource);
  if (known === undefined) {
    known = `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
    addresses.set(resource, known);
  }
  return known;
}

function dependingOn<T extends TerraformResource>(
  resource: T,
  dependencies: readonly TerraformResource[],
): T {
  resource.dependsOn = dependencies.map(address);
  return resource;
}

function ids(applies: Applies): string[] {
  return applies().map((apply) => `${address(apply)}.id`);
}

export interface EngineResources {
  reconcile(scope: Construct, id: string, applies: Applies): TerraformResource;
  lifecycle(
    scope: Construct,
    id: string,
    entries: LifecycleEntries,
    dependsOn: readonly TerraformResource[],
  ): TerraformResource;
  apply(
    scope: Construct,
    id: string,
    encodedSpec: string,
    digest: string,
    dependsOn: readonly TerraformResource[],
  ): TerraformResource;
}

function forEachOf(entries: LifecycleEntries): TerraformIterator {
  return TerraformIterator.fromMap(
    Lazy.anyValue({ produce: entries }) as unknown as Record<string, unknown>,
  );
}

function terraformData(cliPath: string): EngineResources {
  return {
    reconcile(scope, id, applies) {
      return new TerraformData(scope, id, {
        triggersReplace: {
          applies: Lazy.listValue({ produce: () => ids(applies).map((ref) => `\${${ref}}`) }),
        },
        provisioners: [provisioner("reconcile", cliPath)],
      });
    },
    lifecycle(scope, id, entries, dependsOn) {
      const each = forEachOf(entries);
      const resource = new TerraformData(scope, id, {
        forEach: each,
        input: { spec: each.getString("spec") },
        lifecycle: { createBeforeDestroy: true },
        provisioners: [provisioner("delete", cliPath, "${self.input.spec}", "destroy")],
      });
      return dependingOn(resource, dependsOn);
    },
    apply(scope, id, encodedSpec, digest, dependsOn) {
      const resource = new TerraformData(scope, id, {
        triggersReplace: { spec_sha256: digest },
        provisioners: [provisioner("upsert", cliPath, encodedSpec)],
      });
      return dependingOn(resource, dependsOn);
    },
  };
}

function nullResource(cliPath: string): EngineResources {
  return {
    reconcile(scope, id, applies) {
      return new NullResource(scope, id, {
        triggers: {
          applies: Lazy.stringValue({
            produce: () => `\${join(",", [${ids(applies).join(", ")}])}`,
          }),
        },
        provisioners: [provisioner("reconcile", cliPath)],
      });
    },
    lifecycle(scope, id, entries, dependsOn) {
      const each = forEachOf(entries);
      const resource = new NullResource(scope, id, {
        forEach: each,
        triggers: { spec: each.getString("spec") },
        lifecycle: { createBeforeDestroy: true },
        provisioners: [provisioner("delete", cliPath, "${self.triggers.spec}", "destroy")],
      });
      return dependingOn(resource, dependsOn);
    },
    apply(scope, id, encodedSpec, digest, dependsOn) {
      const resource = new NullResource(scope, id, {
        triggers: { spec_sha256: digest },
        provisioners: [provisioner("upsert", cliPath, encodedSpec)],
      });
      return dependingOn(resource, dependsOn);
    },
  };
}

export function engineResources(engine: Engine, cliPath: string): EngineResources {
  return engine === "null_resource" ? nullResource(cliPath) : terraformData(cliPath);
}
