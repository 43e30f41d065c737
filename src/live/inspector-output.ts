/**
 * leakgraph/live/inspector-output — a program's stderr with its runtime's inspector chatter
 * taken out: the "Debugger listening on ws://…" line gives the inspector's URL, the end of
 * the program shows as "Waiting for the debugger to disconnect...", and the rest of the
 * program's own stderr is passed on as it comes. Node and Deno write the same lines, bar a few.
 */

const LISTENING = /^Debugger listening on (ws:\/\/\S+)\s*$/;
const PROGRAM_DONE = /^Waiting for the debugger to disconnect\.\.\.\s*$/;
/** Lines the inspector writes to the program's stderr (Node's, then Deno's own). */
const INSPECTOR_LINES = [
  LISTENING,
  PROGRAM_DONE,
  /^For help, see: https:\/\/nodejs\.org\/\S*\s*$/,
  /^Debugger attached\.\s*$/,
  /^Debugger ending on ws:\/\/\S+\s*$/,
  /^Visit chrome:\/\/inspect to connect to the debugger\.\s*$/,
  /^Debugger session (started|ended)\.?\s*$/,
];
const INSPECTOR_PREFIXES = [
  'Debugger listening on ',
  'For help, see: ',
  'Debugger attached.',
  'Waiting for the debugger to disconnect...',
  'Debugger ending on ',
  'Visit chrome://inspect',
  'Debugger session ',
];

export interface InspectorOutputHandlers {
  /** The inspector's WebSocket URL, once. */
  onListening: (url: string) => void;
  /** The program has finished and waits for the debugger to go. */
  onProgramDone: () => void;
  /** The program's own stderr. */
  onText: (text: string) => void;
}

/** Splits a program's stderr into the inspector's lines (acted on) and the program's (passed on). */
export class InspectorOutput {
  private tail = '';
  private listening = false;

  constructor(private readonly handlers: InspectorOutputHandlers) {}

  write(text: string): void {
    const lines = (this.tail + text).split('\n');
    this.tail = lines.pop()!;
    let passed = '';
    for (const line of lines) {
      const listening = LISTENING.exec(line);
      if (listening && !this.listening) {
        this.listening = true;
        this.handlers.onListening(listening[1]);
      }
      if (PROGRAM_DONE.test(line)) this.handlers.onProgramDone();
      if (!INSPECTOR_LINES.some((pattern) => pattern.test(line))) passed += `${line}\n`;
    }
    // Pass on a partial line at once unless it may be the start of an inspector line.
    const tail = this.tail;
    if (tail !== '' && !INSPECTOR_PREFIXES.some((prefix) => prefix.startsWith(tail) || tail.startsWith(prefix))) {
      passed += tail;
      this.tail = '';
    }
    if (passed !== '') this.handlers.onText(passed);
  }

  /** The stream ended: a last partial line is the program's unless it is the inspector's. */
  end(): void {
    if (this.tail !== '' && !INSPECTOR_LINES.some((pattern) => pattern.test(this.tail))) this.handlers.onText(this.tail);
    this.tail = '';
  }
}
