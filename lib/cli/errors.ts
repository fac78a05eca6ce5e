/** A failure the CLI reports as one line; the message is written for the person running deploy. */
export class ProvisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProvisionError";
  }
}
