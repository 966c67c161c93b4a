export * from './credentials/requests';
export type * from './credentials/views';
export * from './contract';
export * from './identity/events';
export * from './identity/requests';
export * from './identity/views';
export * from './principal.dto';
export * from './rpc-error';
export * from './subjects';
