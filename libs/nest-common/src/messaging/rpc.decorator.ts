import { MessagePattern, Transport } from '@nestjs/microservices';
import { type RpcSubject, wireSubject } from '@keyward/contracts';

/** Handles one request subject of the contract. */
export function Rpc(subject: RpcSubject): MethodDecorator {
  return MessagePattern(wireSubject(subject), Transport.NATS);
}
