/**
 * Explains a sync that Polytomic refused because it maps onto fields its target object does not
 * have (`Contact has no field LastNme`): the target-fields endpoint lists the object's fields, so
 * the message can name each declared property that misses, its value and the nearest field. Only
 * asked once a write failed, so a deploy that succeeds makes no extra request.
 */
import { PolytomicApiError } from "../../api";
import type { Resolved, SyncDeclaration } from "../../core/declarations";
import { nearest } from "../../core/errors";
import type { Session } from "../session";

/** A declared target field, with the prop that declares it as the user wrote it. */
interface DeclaredField {
  readonly property: string;
  readonly field: string;
  /** The prop that would have Polytomic create the field, where there is one. */
  readonly creates?: string;
}

/** The target fields a sync names that must already exist (the ones it does not ask to create). */
function declaredFields(declaration: Resolved<SyncDeclaration>): DeclaredField[] {
  const found: DeclaredField[] = [];
  const { identity } = declaration;
  if (identity && identity.newField !== true)
    found.push({
      property: "identity.target",
      field: identity.target,
      creates: "identity.newField: true",
    });
  declaration.fields.forEach((field, index) => {
    if (field.new !== true)
      found.push({
        property: `fields[${index}].target`,
        field: field.target,
        creates: `new: true on fields[${index}]`,
      });
  });
  (declaration.overrideFields ?? []).forEach((override, index) =>
    found.push({ property: `overrideFields[${index}].target`, field: override.target }),
  );
  return found;
}

/**
 * When `error` is Polytomic refusing the sync and some declared target field is not a field of the
 * target object, a message naming the construct, each such property, its value and the nearest
 * field; otherwise undefined (the error says enough, or the fields cannot be read).
 */
export async function explainUnknownTargetFields(
  session: Session,
  error: unknown,
  subject: string,
  declaration: Resolved<SyncDeclaration>,
  targetId: string,
): Promise<string | undefined> {
  if (!(error instanceof PolytomicApiError) || (error.status !== 400 && error.status !== 422))
    return undefined;
  const object = declaration.target.object;
  let known: string[];
  try {
    const target = await session.client.getTargetFields(targetId, object);
    known = (target.fields ?? []).flatMap((field) => (field.id ? [field.id] : []));
  } catch {
    return undefined;
  }
  if (known.length === 0) return undefined;
  const available = new Set(known);
  const missing = declaredFields(declaration).filter(({ field }) => !available.has(field));
  if (missing.length === 0) return undefined;
  const lines = missing.map(({ property, field, creates }) => {
    const suggestion = nearest(field, known);
    return `${subject}: ${property} is not a field of ${object} (received ${JSON.stringify(field)}). ${suggestion ? `Did you mean ${JSON.stringify(suggestion)}? ` : ""}Use a field ${object} has${creates ? `, or set ${creates} to have Polytomic create it` : ""}.`;
  });
  return `${error.message}\n${lines.join("\n")}`;
}
