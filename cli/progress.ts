/**
 * One self-overwriting status line on stderr during long loads, only on a terminal.
 */

export class ProgressLine {
  private lastWrite = 0;
  private shown = false;

  constructor(private readonly enabled: boolean) {}

  update(text: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastWrite < 100) return;
    this.lastWrite = now;
    process.stderr.write(`\r\x1b[K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
