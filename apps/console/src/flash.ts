// A message for the next page to show ("Credential registry-login created."), kept across one
// client-side navigation only.
let pending: string | null = null;

export function setFlash(message: string): void {
  pending = message;
}

export function takeFlash(): string | null {
  const message = pending;
  pending = null;
  return message;
}
