/**
 * Resolves the model fields a sync refers to (`{model_id, field}` sources, or model field uuids)
 * in the caller's organization, collecting the models the sync reads.
 */
import { unprocessable } from "../errors";
import type { ModelFieldRecord, ModelRecord, OrgState, SourceRef } from "../records";

/** Collects the models a sync reads, in order of first use. */
export class SourceResolver {
  readonly modelIds: string[] = [];

  constructor(private readonly org: OrgState) {}

  resolve(source: SourceRef, where: string): ModelFieldRecord {
    const model = this.org.models.get(source.model_id);
    if (model === undefined) {
      throw unprocessable(`${where}.model_id: model ${source.model_id} not found`, {
        field: `${where}.model_id`,
      });
    }
    const field = model.fields.find((candidate) => candidate.name === source.field);
    if (field === undefined) {
      throw unprocessable(
        `${where}.field: ${source.field} is not a field of model ${model.name} (fields: ${model.fields.map((candidate) => candidate.name).join(", ")})`,
        { field: `${where}.field` },
      );
    }
    this.use(model);
    return field;
  }

  /** A model field given by its uuid (`field_id` of filters and overrides). */
  resolveFieldId(fieldId: string, where: string): { source: SourceRef; field: ModelFieldRecord } {
    for (const model of this.org.models.values()) {
      const field = model.fields.find((candidate) => candidate.id === fieldId);
      if (field !== undefined) {
        this.use(model);
        return { source: { model_id: model.id, field: field.name }, field };
      }
    }
    throw unprocessable(`${where}.field_id: model field ${fieldId} not found`, {
      field: `${where}.field_id`,
    });
  }

  private use(model: ModelRecord): void {
    if (!this.modelIds.includes(model.id)) this.modelIds.push(model.id);
  }
}
