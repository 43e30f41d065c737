/**
 * leakgraph/live/inspected-program — a Node or Deno program started with its inspector on a
 * port the system picks, and one inspector session to it: the URL is read from the
 * "Debugger listening on ws://…" line the runtime writes to the program's stderr.
 */

import { LiveError } from './errors.js';
import { InspectorOutput } from './inspector-output.js';
import { InspectorSession } from './inspector-client.js';
import { inspectedCommand, RunningProgram, type ProgramExit } from './run-program.js';

export interface StartInspectedOptions {
  /** The command as the user gave it (`node app.js`, `deno run app.ts`, `app.mjs`). */
  command: string;
  args: string[];
  /** Milliseconds to wait for the inspector (default 20000). */
  startTimeout?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The program's stderr without the inspector's lines. */
  onStderr: (text: string) => void;
  /** The program has finished and only waits for the debugger to go. */
  onProgramDone?: () => void;
}

export interface InspectedProgram {
  program: RunningProgram;
  session: InspectorSession;
  inspectorUrl: string;
  pid: number;
  /** Resolves when the program's stderr has ended. */
  stderrDone: Promise<void>;
}

/** The program ended before its inspector said where it listens. */
export class EndedBeforeInspectorError extends LiveError {
  override name = 'EndedBeforeInspectorError';
}

function describeExit(exit: ProgramExit): string {
  return exit.signal ?? `code ${exit.code}`;
}

/**
 * Starts the program under the inspector and connects to it.
 * @throws LiveError when the program is not a Node or Deno program, does not start, ends
 *   first, or its inspector cannot be reached; the program is not left running
 */
export async function startInspected(options: StartInspectedOptions): Promise<InspectedProgram> {
  const { file, args } = inspectedCommand(options.command, options.args);
  let onListening: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => (onListening = resolve));
  const output = new InspectorOutput({ onListening, onProgramDone: () => options.onProgramDone?.(), onText: options.onStderr });
  const program = new RunningProgram(file, args, { stdio: ['inherit', 'inherit', 'pipe'], env: options.env, cwd: options.cwd });
  const stderr = program.child.stderr!;
  stderr.setEncoding('utf8');
  stderr.on('data', (text: string) => output.write(text));
  const stderrDone = new Promise<void>((resolve) => stderr.once('close', () => (output.end(), resolve())));
  const timeout = options.startTimeout ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const inspectorUrl = await Promise.race([
      listening,
      program.spawned.then(
        () => program.exited.then((exit) => Promise.reject(new EndedBeforeInspectorError(`${options.command} exited (${describeExit(exit)}) before its inspector started`))),
        (error: Error) => Promise.reject(new LiveError(`cannot start ${options.command}: ${error.message}`)),
      ),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new LiveError(`${options.command} did not open its inspector within ${timeout / 1000} s`)), timeout))),
    ]);
    const session = await InspectorSession.connect(inspectorUrl);
    // Harmless unless the program was started with --inspect-brk: then it runs now.
    await session.send('Runtime.runIfWaitingForDebugger').catch(() => {});
    return { program, session, inspectorUrl, pid: program.pid!, stderrDone };
  } catch (error) {
    throw await failedStart(program, stderrDone, error, options.command);
  } finally {
    clearTimeout(timer);
  }
}

/** Ends a program that could not be connected to, and says why in one error. */
async function failedStart(program: RunningProgram, stderrDone: Promise<void>, error: unknown, command: string): Promise<unknown> {
  // A program that ends at once may be gone before the connection is made: say so, after
  // passing on what it wrote to stderr.
  const exitedEarly = program.exit !== null || (program.pid !== undefined && (await program.waitForExit(1000)));
  const exit = program.exit;
  program.kill('SIGKILL');
  await program.waitForExit(1000);
  await Promise.race([stderrDone, new Promise((resolve) => setTimeout(resolve, 1000))]);
  if (exitedEarly && exit && program.pid !== undefined && !(error instanceof EndedBeforeInspectorError)) {
    return new LiveError(`${command} exited (${describeExit(exit)}) before leakgraph could connect to its inspector`);
  }
  return error;
}
