/** Whether this process is shutting down; /readyz reports not-ready once set. */
export class DrainState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  start(): void {
    this.draining = true;
  }
}
