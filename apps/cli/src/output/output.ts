import { type ApiError } from '../http/errors';
import { json } from './format';

export interface OutputStreams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Where a command's results go. Results and API errors go to stdout, as anchore-cli prints
 * them; with `--json`, both are the API's JSON. Warnings and local mistakes go to stderr.
 */
export class Output {
  constructor(
    readonly jsonMode: boolean,
    private readonly streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr },
  ) {}

  /** The API's payload as JSON with `--json`, else the text `human` renders. */
  result(payload: unknown, human: () => string): void {
    this.write(this.jsonMode ? json(payload ?? {}) : human());
  }

  /** Exactly this text (an export, a token): the same with and without `--json`. */
  raw(text: string): void {
    this.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  line(text: string): void {
    this.write(`${text}\n`);
  }

  warn(text: string): void {
    this.streams.stderr.write(`${text}\n`);
  }

  /**
   * anchore-cli's error block: `Error:`, `HTTP Code:`, `Detail:` (when there is one), then any
   * note; with `--json`, the error body itself.
   */
  apiError(error: ApiError, notes: string[] = []): void {
    if (this.jsonMode) {
      this.write(json(error.body));
      return;
    }
    const lines = [`Error: ${error.body.message}`, `HTTP Code: ${error.body.httpcode}`];
    if (error.body.detail && Object.keys(error.body.detail).length > 0) {
      lines.push(`Detail: ${JSON.stringify(error.body.detail)}`);
    }
    const tail = notes.map((note) => `\nNOTE: ${note}\n`).join('');
    this.write(`${lines.join('\n')}\n${tail}`);
  }

  /** A failure of this side (bad argument, unreadable file, unreachable server). */
  failure(message: string): void {
    if (this.jsonMode) {
      this.write(json({ message }));
      return;
    }
    this.streams.stderr.write(`Error: ${message}\n`);
  }

  private write(text: string): void {
    this.streams.stdout.write(text);
  }
}
