export interface EmulatorProcess {
  readonly url: string;
  stop(): Promise<void>;
}
export function startEmulatorProcess(root: string, args: string[]): Promise<EmulatorProcess>;
export function summarise(url: string, apiKey: string): Promise<string>;
export function salesforceRecords(
  url: string,
  domain: string,
  object: string,
  shown?: number,
): Promise<string>;
