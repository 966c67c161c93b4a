/**
 * The replies of the API as types, and nothing else: what the web console imports (type-only,
 * so nothing of it reaches the bundle). It reads no request class, decorator or Node module, so it
 * type-checks under the console's browser tsconfig, which maps `@keyward/contracts` here.
 */
export type * from './identity/views';
export type * from './credentials/views';
export type * from './audit/views';
