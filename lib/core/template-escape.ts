/**
 * Terraform reads every string of a JSON configuration as a template: `${...}` interpolates and
 * `%{...}` runs a directive. User text written into the configuration (queries, names, mapping
 * targets) must stay literal, so each `${` becomes `$${` and each `%{` becomes `%%{`, scanning left
 * to right (measured on Terraform 1.11: every such text round-trips byte-identical, `$$${x}`
 * included). cdktf does not do this for plain strings.
 */
export function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}
