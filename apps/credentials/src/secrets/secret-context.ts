/** What a secret's sealed data is bound to: opened under another id, it does not open. */
export function secretContext(id: string): string {
  return `secret:${id}`;
}
