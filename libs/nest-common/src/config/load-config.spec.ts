import { IsInt, IsString, Max, Min } from 'class-validator';
import { ConfigurationError, loadConfig } from './load-config';

class SampleConfig {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 8228;

  @IsString()
  SECRET_TOKEN: string = 'unset';
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(SampleConfig, env, ['SECRET_TOKEN']);
    return [];
  } catch (error: unknown) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
}

describe(loadConfig.name, () => {
  it('applies defaults and converts numbers', () => {
    expect(loadConfig(SampleConfig, {}).PORT).toBe(8228);
    expect(loadConfig(SampleConfig, { PORT: '9000' }).PORT).toBe(9000);
  });

  it('names the bad variable and what it must be', () => {
    const problems = problemsOf({ PORT: 'eighty' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT: .*integer/);
    expect(problems[0]).toContain('"eighty"');
  });

  it('never echoes the value of a secret variable', () => {
    class SecretConfig {
      @IsInt() SECRET_TOKEN: number = 1;
    }
    try {
      loadConfig(SecretConfig, { SECRET_TOKEN: 'hunter2-very-secret' }, ['SECRET_TOKEN']);
      throw new Error('expected a ConfigurationError');
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain('SECRET_TOKEN');
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
