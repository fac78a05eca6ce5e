/**
 * A sync's conditions (polytomic-api.md §5.2, §5.5): filters, whose labels the server assigns (A,
 * B, …) and which `filter_logic` combines, and overrides. Model filters and overrides resolve
 * their field to the model field's uuid (`field_id`); target filters name a target field and need
 * a mode that supports them. The compared value must fit the function.
 */
import { badRequest, unprocessable } from "../errors";
import type { FilterRecord, ModelFieldRecord, OverrideRecord, SourceRef } from "../records";
import { filterLabel, filterLogicProblem, filterValueProblem } from "../../core/sync-rules";
import type { SourceResolver } from "./source-resolver";
import type { FilterBody, OverrideBody, SyncBody } from "./sync-body";
import type { ResolvedTarget } from "./sync-target";
import { targetField } from "./sync-target";

/** The value a filter function compares with must fit it. */
function checkFunctionValue(fn: string, value: unknown, where: string): void {
  const problem = filterValueProblem(fn, value);
  if (problem) throw unprocessable(`${where}.value: ${problem}`, { field: `${where}.value` });
}

export function checkFilter(
  filter: FilterBody,
  index: number,
  target: ResolvedTarget,
  resolver: SourceResolver,
): FilterRecord {
  const where = `filters[${index}]`;
  checkFunctionValue(filter.function, filter.value, where);
  const common = {
    function: filter.function,
    ...(filter.value !== undefined && { value: filter.value }),
    label: filterLabel(index),
  };
  if (filter.field !== undefined) {
    const field = resolver.resolve(filter.field, `${where}.field`);
    return { field: filter.field, field_id: field.id, field_type: "Model", ...common };
  }
  if (filter.field_id === undefined) {
    throw badRequest(`${where} needs field (a model field) or field_id`, { field: where });
  }
  if (filter.field_type !== "Target") {
    const { source, field } = resolver.resolveFieldId(filter.field_id, where);
    return { field: source, field_id: field.id, field_type: "Model", ...common };
  }
  if (!target.mode.supports_target_filters) {
    throw unprocessable(`${where}: target filters are only available with mode update`, {
      field: `${where}.field_type`,
    });
  }
  const field = targetField(target, filter.field_id, false, `${where}.field_id`);
  if (field !== undefined && !field.filterable) {
    throw unprocessable(`${where}.field_id: ${field.id} cannot be filtered on`, {
      field: `${where}.field_id`,
    });
  }
  return { field_id: filter.field_id, field_type: "Target", ...common };
}

/** Overrides: `field_id` wins over `field`; the replacement value comes back as a string. */
export function checkOverride(
  override: OverrideBody,
  index: number,
  resolver: SourceResolver,
): OverrideRecord {
  const where = `overrides[${index}]`;
  checkFunctionValue(override.function, override.value, where);
  let resolved: { source: SourceRef; field: ModelFieldRecord };
  if (override.field_id !== undefined) {
    resolved = resolver.resolveFieldId(override.field_id, where);
  } else if (override.field !== undefined) {
    resolved = {
      source: override.field,
      field: resolver.resolve(override.field, `${where}.field`),
    };
  } else {
    throw badRequest(`${where} needs field or field_id`, { field: where });
  }
  const replacement = override.override;
  return {
    field: resolved.source,
    field_id: resolved.field.id,
    function: override.function,
    ...(override.value !== undefined && { value: override.value }),
    ...(replacement !== undefined && {
      override: typeof replacement === "string" ? replacement : JSON.stringify(replacement),
    }),
  };
}

export function checkFilterLogics(body: SyncBody, filters: readonly FilterRecord[]): void {
  const labels = filters.map((filter) => filter.label);
  const check = (logic: string | undefined, field: string): void => {
    const problem = logic === undefined ? undefined : filterLogicProblem(logic, labels);
    if (problem) throw unprocessable(`${field} ${problem}`, { field });
  };
  check(body.filter_logic, "filter_logic");
  check(body.target.filter_logic, "target.filter_logic");
}
