/** A catalog or seed file given to the emulator is unusable; the message is one line naming the file and where. */
export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogError";
  }
}
