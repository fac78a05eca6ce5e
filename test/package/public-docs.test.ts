/**
 * Docs on hover: what an editor shows from the published types (dist/lib/index.d.ts, built by
 * `npm run build`). Every exported declaration and every prop or member of one has a doc comment,
 * every construct an `@example`, and the file exports exactly what lib/index.ts does.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const ROOT = join(__dirname, "..", "..");
const TYPES = join(ROOT, "dist", "lib", "index.d.ts");
const source = ts.createSourceFile(
  TYPES,
  readFileSync(TYPES, "utf8"),
  ts.ScriptTarget.ES2022,
  true,
);

/** The JSDoc text of a node (description and tags), or "" when it has none. */
function docOf(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .map((doc) => doc.getText())
    .join("\n");
}

function isExported(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

function nameOf(node: ts.Node): string {
  const name = (node as { name?: ts.Node }).name;
  return name ? name.getText() : "(anonymous)";
}

function isPrivate(member: ts.Node): boolean {
  return (
    ts.canHaveModifiers(member) &&
    (ts.getModifiers(member) ?? []).some(
      (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
    )
  );
}

/** Declarations the file exports, by the `export` keyword or an `export { … }` list. */
function exportedDeclarations(): ts.Statement[] {
  const listed = new Set<string>();
  for (const statement of source.statements)
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    )
      for (const element of statement.exportClause.elements)
        listed.add((element.propertyName ?? element.name).getText());
  return source.statements.filter(
    (statement) =>
      !ts.isExportDeclaration(statement) &&
      (isExported(statement) || listed.has(nameOf(statement))),
  );
}

const exported = exportedDeclarations();

/** Members a user sees: props of interfaces and type literals, public members of classes. */
function membersOf(statement: ts.Statement): ts.Node[] {
  if (ts.isInterfaceDeclaration(statement) || ts.isClassDeclaration(statement))
    return statement.members.filter(
      (member) =>
        !isPrivate(member) &&
        !ts.isConstructorDeclaration(member) &&
        !(member.name && ts.isPrivateIdentifier(member.name)),
    );
  if (ts.isTypeAliasDeclaration(statement) && ts.isTypeLiteralNode(statement.type))
    return [...statement.type.members];
  return [];
}

test("the published types export exactly what lib/index.ts exports", () => {
  const index = readFileSync(join(ROOT, "lib", "index.ts"), "utf8");
  const declared = [...index.matchAll(/export (?:type )?\{([^}]+)\}/g)]
    .flatMap((match) => match[1].split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "")
    .sort();
  expect(exported.map(nameOf).sort()).toEqual(declared);
  // And nothing internal leaks through the bundle's runtime exports either.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtime = Object.keys(require(join(ROOT, "dist", "lib", "index.js"))).sort();
  expect(declared).toEqual(expect.arrayContaining(runtime));
});

test("every exported declaration has a doc comment", () => {
  const undocumented = exported.filter((statement) => docOf(statement) === "").map(nameOf);
  expect(undocumented).toEqual([]);
});

test("every prop and public member of an exported declaration has a doc comment", () => {
  const undocumented = exported.flatMap((statement) =>
    membersOf(statement)
      .filter((member) => docOf(member) === "")
      .map((member) => `${nameOf(statement)}.${nameOf(member)}`),
  );
  expect(undocumented).toEqual([]);
  // The props the newcomer's review found bare are among those checked.
  const checked = new Set(
    exported.flatMap((statement) =>
      membersOf(statement).map((member) => `${nameOf(statement)}.${nameOf(member)}`),
    ),
  );
  for (const prop of [
    "ModelSyncProps.mode",
    "ModelSyncProps.schedule",
    "SyncSchedule.frequency",
    "SyncFieldMapping.source",
    "SyncFilter.function",
  ])
    expect(checked).toContain(prop);
});

test("every construct, the settings and Secret have an @example", () => {
  const classes = exported.filter(ts.isClassDeclaration).map(nameOf).sort();
  expect(classes).toEqual(
    [
      "ModelSync",
      "PolytomicSettings",
      "PolytomicValidationError",
      "QueryModel",
      "SalesforceConnection",
      "Secret",
      "SnowflakeConnection",
    ].sort(),
  );
  const withoutExample = exported
    .filter((statement) => ts.isClassDeclaration(statement))
    .filter((statement) => nameOf(statement) !== "PolytomicValidationError")
    .filter((statement) => !docOf(statement).includes("@example"))
    .map(nameOf);
  expect(withoutExample).toEqual([]);
});

test("no internal helper is in the public types", () => {
  const internal = source.statements.filter(
    (statement) =>
      !ts.isImportDeclaration(statement) &&
      !ts.isExportDeclaration(statement) &&
      !exported.includes(statement),
  );
  // What remains unexported: the abstract bases of the constructs (private members only) and the
  // value lists the exported unions are read from. No declarations, validators or stack machinery.
  const shown = internal.map((statement) =>
    ts.isVariableStatement(statement)
      ? `const ${statement.declarationList.declarations[0].name.getText()}`
      : `${ts.isClassDeclaration(statement) ? "class" : ts.SyntaxKind[statement.kind]} ${nameOf(statement)}`,
  );
  for (const entry of shown)
    expect(entry).toMatch(/^(const [A-Z_]+|class (PolytomicObject|OwnedConnection))$/);
  const protectedMembers = source.statements
    .filter(ts.isClassDeclaration)
    .flatMap((statement) =>
      statement.members
        .filter((member) =>
          (ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : []).some(
            (m) => m.kind === ts.SyntaxKind.ProtectedKeyword,
          ),
        )
        .map((member) => `${nameOf(statement)}.${nameOf(member)}`),
    );
  expect(protectedMembers).toEqual([]);
});
