/**
 * What of the domain runs in a browser: everything but the signing of requests, which needs
 * node:crypto. The web console's tsconfig and Vite map `@keyward/domain` here.
 */
export * from './audit-fields';
export * from './account';
export * from './account-state-machine';
export * from './authorization';
export * from './errors';
export * from './names';
export * from './principal';
export * from './credentials';
