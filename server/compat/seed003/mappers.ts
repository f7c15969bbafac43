// Seed 003's records: a message of a member's chat with a shop, under the seed's field names.
import { typeToDialect } from '../../domain/message-types';
import type { Message } from '../../domain/messages';
import type { Shop } from '../../domain/shops';
import { absoluteUrl } from '../urls';
import { localDateTime } from '../time';

/**
 * `id` is the message id, the same in every face, written as a bare JSON number digit for digit.
 * `member_id` is the member of the chat whichever side wrote the record: the seed's table has no
 * sender column, and its clients group records by member and seller.
 */
export function recordItem(message: Message, shopId: string, memberId: number) {
  return {
    id: message.id,
    seller_id: shopId,
    member_id: memberId,
    addtime: localDateTime(message.createdAt),
    cnt: message.content,
    messageType: typeToDialect('seed003', message.type),
  };
}

/** A chat-list element: the chat's last record, with the shop's name and logo (absolute, as the seeds show images). */
export function chatListItem(message: Message, shop: Shop, memberId: number, requestUrl: string) {
  return { ...recordItem(message, shop.id, memberId), shop_name: shop.name, logo: absoluteUrl(shop.logo, requestUrl) };
}
