export interface Shape {
  readonly connections: number;
  readonly models: number;
  readonly syncs: number;
}
export function shape(objects: number): Shape;
