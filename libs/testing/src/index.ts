export * from './api-client';
export * from './database';
export * from './poll';
export * from './processes';
export * from './test-stack';
export * from './nats';
export * from './fake-kubernetes';
export * from './private-postgres';
