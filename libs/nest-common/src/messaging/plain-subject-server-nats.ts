import { ServerNats } from '@nestjs/microservices';

const OPENING_BRACE = 0x7b; // {
const OPENING_BRACKET = 0x5b; // [
const QUOTE = 0x22; // "

/**
 * Nest's NATS request listener, routing a plain subject (`identity.account.get`) as it is. Nest's
 * own tries `JSON.parse` on every incoming subject first, for object patterns, which throws (and
 * is caught) on every plain one. A subject that starts like a JSON object, array or string still
 * goes through Nest's parsing, so object patterns keep working.
 */
export class PlainSubjectServerNats extends ServerNats {
  protected override getRouteFromPattern(pattern: string): string {
    const first = pattern.charCodeAt(0);
    if (first === OPENING_BRACE || first === OPENING_BRACKET || first === QUOTE) {
      return super.getRouteFromPattern(pattern);
    }
    return pattern;
  }
}
