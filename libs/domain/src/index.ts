export * from './browser';
export * from './request-signing';
