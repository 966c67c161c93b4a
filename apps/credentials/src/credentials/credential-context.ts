/** What a credential's sealed values are bound to: opened under another id, they do not open. */
export function credentialContext(id: string): string {
  return `credential:${id}`;
}
