/**
 * The CRUD plumbing shared by connections, models and syncs: `GET|POST <path>` and
 * `GET|PUT|DELETE <path>/{id}`, all scoped to the caller's organization (another organization's
 * id is simply not found). Resources supply validation and rendering; records are inserted only
 * after validation succeeded, so a rejected request changes nothing.
 */
import { notFound } from "../errors";
import type { Outcome } from "../outcome";
import { dataOutcome, emptyOutcome } from "../outcome";
import type { Audit, OrgState } from "../records";
import type { ApiRoute, RequestContext } from "../router";

export interface CrudResource<R extends { readonly id: string }> {
  /** Collection path, e.g. `/api/models`. */
  readonly path: string;
  /** Singular noun for messages, e.g. `model`. */
  readonly noun: string;
  collection(org: OrgState): Map<string, R>;
  /** The item of `GET` responses. */
  present(record: R, context: RequestContext): unknown;
  /** The item of `POST`/`PUT` responses; defaults to {@link present}. */
  presentWritten?(record: R, context: RequestContext): unknown;
  /** Replaces the plain `{data: [...]}` list (pagination, lighter items). */
  list?(records: readonly R[], context: RequestContext): Outcome;
  /** Checks query parameters common to the resource's routes. */
  checkQuery?(context: RequestContext): void;
  /** Validates the body and builds the new record; without it the resource routes POST itself. */
  create?(context: RequestContext): R;
  /** Validates the body and builds the full replacement of `existing` (likewise for PUT). */
  replace?(existing: R, context: RequestContext): R;
  /** Deletes `record` and whatever must go with it; defaults to removing it from its collection. */
  remove?(record: R, context: RequestContext): void;
  /** Runs once a create or update has been answered (its response is already rendered). */
  afterWrite?(record: R, context: RequestContext): void;
}

export function findOrNotFound<R>(collection: Map<string, R>, id: string, noun: string): R {
  const record = collection.get(id);
  if (record === undefined) throw notFound(`${noun} ${id} not found`);
  return record;
}

export function crudRoutes<R extends { readonly id: string }>(
  resource: CrudResource<R>,
): ApiRoute[] {
  const itemPath = `${resource.path}/:id`;
  const existing = (context: RequestContext): R => {
    resource.checkQuery?.(context);
    return findOrNotFound(resource.collection(context.org), context.params.id, resource.noun);
  };
  const written = (built: R, context: RequestContext, previous?: R): Outcome => {
    // Who wrote it: the creator stays, the last writer is the caller.
    const before = previous as Audit | undefined;
    const record = {
      ...built,
      created_by: before ? (before.created_by ?? context.org.user) : context.actor,
      updated_by: context.actor,
    } as R;
    // Inserted only now: a request rejected by validation changes nothing.
    resource.collection(context.org).set(record.id, record);
    const present = resource.presentWritten ?? resource.present;
    const outcome = dataOutcome(present(record, context));
    resource.afterWrite?.(record, context);
    return outcome;
  };
  const routes: ApiRoute[] = [
    {
      method: "GET",
      pattern: resource.path,
      handler: (context) => {
        resource.checkQuery?.(context);
        const records = [...resource.collection(context.org).values()];
        return resource.list
          ? resource.list(records, context)
          : dataOutcome(records.map((record) => resource.present(record, context)));
      },
    },
    {
      method: "GET",
      pattern: itemPath,
      handler: (context) => dataOutcome(resource.present(existing(context), context)),
    },
    {
      method: "DELETE",
      pattern: itemPath,
      handler: (context) => {
        const record = existing(context);
        if (resource.remove) resource.remove(record, context);
        else resource.collection(context.org).delete(record.id);
        return emptyOutcome();
      },
    },
  ];
  const { create, replace } = resource;
  if (create !== undefined) {
    routes.push({
      method: "POST",
      pattern: resource.path,
      handler: (context) => {
        resource.checkQuery?.(context);
        return written(create(context), context);
      },
    });
  }
  if (replace !== undefined) {
    routes.push({
      method: "PUT",
      pattern: itemPath,
      handler: (context) => {
        const previous = existing(context);
        return written(replace(previous, context), context, previous);
      },
    });
  }
  return routes;
}
