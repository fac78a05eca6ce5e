/**
 * The stack a provisioner works on: its stack file (read from the working directory, the stack
 * directory) with the Terraform values, secrets and ownership records Terraform passed in the
 * environment, placeholders filled in.
 */
import { readFileSync } from "node:fs";
import type { ObjectKind, OwnedEntry, OwnedObjects } from "../../core/contract";
import {
  API_ENV,
  OBJECT_KINDS,
  OWNED_ENV_PREFIX,
  SECRETS_ENV,
  SEND_SECRETS_ENV,
  STACK_FILE,
  VALUES_ENV,
} from "../../core/contract";
import type {
  ConnectionDeclaration,
  Declaration,
  ModelDeclaration,
  Resolved,
  SyncDeclaration,
} from "../../core/declarations";
import { fillPlaceholders } from "../../core/declarations";
import type { StackFile, StackFileObject } from "../../core/stack-file";
import { parseStackFile, StackFileError } from "../../core/stack-file";
import type { ApiSettings } from "../../core/contract";
import { ProvisionError } from "../errors";

/** A declared object, ready to compare with Polytomic. */
export interface DeclaredObject<D extends Declaration = Declaration> {
  readonly declaration: Resolved<D>;
  /** `QueryModel "stack/ActiveUsers"`, for messages. */
  readonly subject: string;
  readonly address: string;
  /** How this stack records its ownership (the inventory entry). */
  readonly owned: OwnedEntry | undefined;
}

export interface Stack {
  readonly file: StackFile;
  readonly connections: readonly DeclaredObject<ConnectionDeclaration>[];
  readonly models: readonly DeclaredObject<ModelDeclaration>[];
  readonly syncs: readonly DeclaredObject<SyncDeclaration>[];
  /** Secrets from Terraform, by index. */
  readonly secrets: readonly unknown[];
  /** Whether this deploy sends every connection's secrets again ({@link SEND_SECRETS_ENV}). */
  readonly sendSecrets: boolean;
}

export function readStackFile(directory = process.cwd()): StackFile {
  let text: string;
  try {
    text = readFileSync(`${directory}/${STACK_FILE}`, "utf8");
  } catch {
    throw new ProvisionError(
      `${directory} has no ${STACK_FILE}: run this in a stack directory that cdktf-polytomic synthesized (cdktf.out/stacks/<stack>), after cdktf synth`,
    );
  }
  try {
    return parseStackFile(text);
  } catch (error) {
    if (error instanceof StackFileError) throw new ProvisionError(error.message);
    throw error;
  }
}

function jsonList(env: NodeJS.ProcessEnv, name: string): unknown[] {
  const raw = env[name];
  if (raw === undefined || raw === "") return [];
  try {
    const list: unknown = JSON.parse(raw);
    if (Array.isArray(list)) return list;
  } catch {
    // Reported below.
  }
  throw new ProvisionError(`${name} is not a JSON list: synthesize the stack again (cdktf synth)`);
}

/** The inventory entries Terraform passed, by kind. */
export function ownedObjects(env: NodeJS.ProcessEnv): OwnedObjects {
  const owned = {} as Record<ObjectKind, OwnedEntry[]>;
  for (const kind of OBJECT_KINDS) {
    const variable = `${OWNED_ENV_PREFIX}${kind.toUpperCase()}`;
    const entries = jsonList(env, variable);
    if (
      !entries.every(
        (entry): entry is OwnedEntry =>
          Array.isArray(entry) && entry.every((part) => typeof part === "string"),
      )
    ) {
      throw new ProvisionError(
        `${variable} does not hold [name, declared_at] entries: synthesize the stack again (cdktf synth)`,
      );
    }
    owned[kind] = entries;
  }
  return owned;
}

/** The API settings Terraform passed (the inventory's), else the stack file's. */
export function apiSettings(env: NodeJS.ProcessEnv, file?: StackFile): ApiSettings {
  const raw = env[API_ENV];
  if (raw) {
    try {
      const api = JSON.parse(raw) as ApiSettings;
      if (typeof api.version === "string" && typeof api.key_variable === "string") return api;
    } catch {
      // Reported below.
    }
  }
  if (file) return file.api;
  throw new ProvisionError(
    `${API_ENV} is not set: this command is run by the stack's provisioners`,
  );
}

/** What turns a stack file into the declared objects of a run. */
export interface StackInputs {
  /** The ownership records (the inventory's entries). */
  readonly owned: OwnedObjects;
  /** An object's declaration with its Terraform values in place. */
  readonly resolve: (object: StackFileObject) => Declaration;
  readonly secrets: readonly unknown[];
  readonly sendSecrets: boolean;
}

export function declaredStack(file: StackFile, inputs: StackInputs): Stack {
  const declared = (object: StackFileObject): DeclaredObject => {
    const declaration = inputs.resolve(object);
    return {
      declaration: declaration as Resolved<Declaration>,
      subject: `${object.construct} ${JSON.stringify(object.path)}`,
      address: object.address,
      owned: inputs.owned[declaration.kind].find(([name]) => name === declaration.name),
    };
  };
  const objects = file.objects.map(declared);
  const ofKind = <D extends Declaration>(kind: D["kind"]) =>
    objects.filter((object) => object.declaration.kind === kind) as DeclaredObject<D>[];
  return {
    file,
    connections: ofKind<ConnectionDeclaration>("connection"),
    models: ofKind<ModelDeclaration>("model"),
    syncs: ofKind<SyncDeclaration>("sync"),
    secrets: inputs.secrets,
    sendSecrets: inputs.sendSecrets,
  };
}

/** Whether the deploy is asked to send every connection's secrets again ({@link SEND_SECRETS_ENV}). */
export function sendSecretsRequested(env: NodeJS.ProcessEnv): boolean {
  return ["1", "true"].includes(env[SEND_SECRETS_ENV]?.toLowerCase() ?? "");
}

/** Loads the stack for the deploy step: values, secrets and claims as Terraform passed them. */
export function loadStack(env: NodeJS.ProcessEnv, directory?: string): Stack {
  const file = readStackFile(directory);
  const values = jsonList(env, VALUES_ENV);
  return declaredStack(file, {
    owned: ownedObjects(env),
    resolve: (object) => {
      try {
        return fillPlaceholders(object.declaration, values) as Declaration;
      } catch (error) {
        throw new ProvisionError(
          `${object.construct} ${JSON.stringify(object.path)}: ${(error as Error).message}; synthesize the stack again (cdktf synth)`,
        );
      }
    },
    secrets: jsonList(env, SECRETS_ENV),
    sendSecrets: sendSecretsRequested(env),
  });
}
