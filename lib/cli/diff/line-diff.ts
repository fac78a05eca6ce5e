/**
 * A line diff (longest common subsequence), for showing a query or a list of mappings the way a
 * reviewer reads a code diff. Inputs are a model's query or a sync's settings: small enough for
 * the quadratic table.
 */
export interface DiffLine {
  readonly op: " " | "-" | "+";
  readonly text: string;
}

export function lineDiff(before: readonly string[], after: readonly string[]): DiffLine[] {
  const rows = before.length;
  const columns = after.length;
  // common[i][j]: length of the longest common subsequence of before[i..] and after[j..].
  const common = Array.from({ length: rows + 1 }, () => new Array<number>(columns + 1).fill(0));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) {
      common[i][j] =
        before[i] === after[j]
          ? common[i + 1][j + 1] + 1
          : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < columns) {
    if (i < rows && j < columns && before[i] === after[j]) {
      lines.push({ op: " ", text: before[i++] });
      j++;
    } else if (i < rows && (j === columns || common[i + 1][j] >= common[i][j + 1])) {
      lines.push({ op: "-", text: before[i++] });
    } else {
      lines.push({ op: "+", text: after[j++] });
    }
  }
  return lines;
}
