import { PassThrough } from 'node:stream';
import { Input } from './input';

function piped(text: string) {
  const stdin = new PassThrough();
  const stderr = new PassThrough();
  let prompted = '';
  stderr.on('data', (chunk: Buffer) => (prompted += chunk.toString()));
  stdin.end(text);
  return { sut: new Input({ stdin, stderr }), prompted: () => prompted };
}

describe(Input.name, () => {
  it('takes each answer from the next line of piped stdin, showing the question and the answer on stderr', async () => {
    const { sut, prompted } = piped('y\nsecret-1\n');
    expect(await sut.confirm('Really? (y/N)')).toBe(true);
    expect(await sut.secret('Password')).toBe('secret-1');
    expect(prompted()).toBe('Really? (y/N)y\n');
  });

  it('answers no to a question when stdin has nothing or anything but y', async () => {
    expect(await piped('').sut.confirm('Really?')).toBe(false);
    expect(await piped('n\n').sut.confirm('Really?')).toBe(false);
    expect(await piped('YES\n').sut.confirm('Really?')).toBe(true);
  });

  it('reads all of stdin for -, without its last newline, once', async () => {
    const { sut } = piped('line one\nline two\n');
    expect(await sut.value('-', 'Value')).toBe('line one\nline two');
    await expect(sut.value('-', 'Other')).rejects.toThrow('Only one value can be read from stdin');
    await expect(sut.secret('Another')).rejects.toThrow('already read');
  });

  it('uses a given value as it is and refuses a missing one', async () => {
    const { sut } = piped('');
    expect(await sut.value('given', 'Value')).toBe('given');
    await expect(sut.value(undefined, 'Password for bob')).rejects.toThrow('No value for Password for bob: stdin has no more lines');
  });
});
