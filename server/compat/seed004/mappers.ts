// Seed 004's message item, field for field as the seed's example.
import { typeToDialect } from '../../domain/message-types';
import { messageUuid, type ListedMessage } from '../../domain/messages';
import { localDateTime } from '../time';

export function messageItem(message: ListedMessage, callerId: number, peerUuid: string) {
  return {
    // Bare JSON digits, exact beyond 2^53.
    id: message.id,
    uuid: messageUuid(message.id),
    // The other user's uuid whichever way the message went: the seed names the conversation by it.
    chat_message_to_uuid: peerUuid,
    chat_message_type: typeToDialect('seed004', message.type),
    chat_message_data: message.content,
    chat_message_is_read: message.read ? 1 : 0,
    // The seed's own words: "in表示自己发出的,out表示收到的" — `in` is what the caller sent, `out` what they received.
    chat_message_io: message.senderId === callerId ? 'in' : 'out',
    add_time: localDateTime(message.createdAt),
  };
}
