export interface EmulatorProcess {
  readonly url: string;
  stop(): Promise<void>;
}
export function startEmulatorProcess(root: string, args: string[]): Promise<EmulatorProcess>;
export function summarise(url: string, apiKey: string): Promise<string>;
