import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CliError } from '../http/errors';

/** Where answers and secret values come from: a terminal (asked for, secrets not echoed) or piped stdin. */
export interface InputStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Prompts go to stderr, so stdout stays the command's output. */
  stderr: NodeJS.WritableStream;
}

/**
 * Reads what a command needs from the user. On a terminal it asks, one line per question; when
 * stdin is a pipe or a file, it is read to its end once and each question takes the next line.
 * stdin is never touched unless a command needs it.
 */
export class Input {
  private lines: Promise<string[]> | undefined;
  private consumedWhole = false;

  constructor(private readonly streams: InputStreams = { stdin: process.stdin, stderr: process.stderr }) {}

  private get interactive(): boolean {
    return this.streams.stdin.isTTY === true;
  }

  /** A yes/no question; anything but `y` or `yes`, or no answer at all, is no. */
  async confirm(question: string): Promise<boolean> {
    const answer = this.interactive ? await this.ask(question, false) : await this.nextLine(question);
    return ['y', 'yes'].includes((answer ?? '').trim().toLowerCase());
  }

  /** A secret value, asked for without echo on a terminal, else the next line of stdin. */
  async secret(label: string): Promise<string> {
    const answer = this.interactive ? await this.ask(`${label}: `, true) : await this.nextLine();
    if (answer === undefined || answer === '') {
      throw new CliError(`No value for ${label}: ${this.interactive ? 'nothing was entered' : 'stdin has no more lines'}`);
    }
    return answer;
  }

  /** All of stdin, without its final newline: what `--password -` reads. */
  async whole(label: string): Promise<string> {
    if (this.interactive) {
      return this.secret(label);
    }
    if (this.consumedWhole || this.lines) {
      throw new CliError(`Only one value can be read from stdin; ${label} cannot be - as well`);
    }
    this.consumedWhole = true;
    const text = (await this.readAll()).replace(/\r?\n$/, '');
    if (text === '') {
      throw new CliError(`No value for ${label}: stdin is empty`);
    }
    return text;
  }

  /** `-` reads stdin, an absent value is asked for, any other value is used as given. */
  async value(given: string | undefined, label: string): Promise<string> {
    if (given === '-') {
      return this.whole(label);
    }
    return given ?? this.secret(label);
  }

  private ask(question: string, muted: boolean): Promise<string | undefined> {
    const stderr = this.streams.stderr;
    let muting = false;
    // readline echoes what is typed to its output; while a secret is typed, that echo is dropped.
    const output = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        if (!muting) stderr.write(chunk);
        callback();
      },
    });
    const rl = createInterface({ input: this.streams.stdin, output, terminal: true });
    return new Promise((resolvePromise) => {
      let answered = false;
      rl.question(question, (answer) => {
        answered = true;
        if (muted) stderr.write('\n');
        rl.close();
        resolvePromise(answer);
      });
      muting = muted;
      // Ctrl-C answers nothing, as anchore-cli takes an interrupted prompt for no.
      rl.on('SIGINT', () => {
        stderr.write('\n');
        rl.close();
      });
      rl.once('close', () => {
        if (!answered) resolvePromise(undefined);
      });
    });
  }

  private async nextLine(question?: string): Promise<string | undefined> {
    if (this.consumedWhole) {
      throw new CliError('stdin was already read to its end for another value');
    }
    if (question !== undefined) {
      this.streams.stderr.write(question);
    }
    this.lines ??= this.readAll().then((text) => text.split(/\r?\n/));
    const lines = await this.lines;
    const line = lines.length > 0 ? lines.shift() : undefined;
    if (question !== undefined) {
      this.streams.stderr.write(`${line ?? ''}\n`);
    }
    return line;
  }

  private readAll(): Promise<string> {
    const stdin = this.streams.stdin;
    return new Promise((resolvePromise, reject) => {
      const chunks: Buffer[] = [];
      stdin.on('data', (chunk: Buffer | string) => chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
      stdin.once('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
      stdin.once('error', reject);
    });
  }
}
