export * from './account';
export * from './account-state-machine';
export * from './authorization';
export * from './errors';
export * from './names';
export * from './principal';
export * from './credentials';
export * from './request-signing';
