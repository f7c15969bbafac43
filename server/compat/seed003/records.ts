// Seed 003's routes, /chat-records/*: a member's chat records with shops, written and read by the
// member and by the shop's seller through the same routes.
import {
  findShopConversationId,
  getConversation,
  listConversations,
} from '../../domain/conversations';
import { notFound } from '../../domain/errors';
import { conversationMessages, deleteMessageForMe, getVisibleMessage, sendMessage } from '../../domain/messages';
import { jsonResponse, requestUser } from '../../rest/http';
import { readParams } from '../params';
import { actionRoute, listRoute } from './errors';
import { chatListItem, recordItem } from './mappers';
import { pageParams, paginationBlocks } from './pagination';
import {
  callerParty,
  contentParam,
  messageTypeParam,
  optionalRecordId,
  requiredRecordId,
  requiredShopId,
  requiredUserId,
  requireOwnMemberId,
  timeParam,
} from './request';

/** GET /chat-records/list: the records of one member's chat with one shop, newest first, paged. */
export function chatRecordList(req: Request): Promise<Response> {
  return listRoute(async () => {
    const caller = requestUser(req);
    const params = await readParams(req);
    const memberId = requiredUserId(params, 'memberId');
    const shopId = requiredShopId(params);
    const filter = {
      type: messageTypeParam(params, { required: false }),
      fromMs: timeParam(params, 'startTime'),
      toMs: timeParam(params, 'endTime'),
      messageId: optionalRecordId(params),
    };
    const page = pageParams(params);
    const { shop } = callerParty(caller, memberId, shopId);

    // Reading never opens a chat: without one there are no records.
    const conversationId = shop ? findShopConversationId(shop.id, memberId) : null;
    const { messages, total } =
      conversationId === null
        ? { messages: [], total: 0 }
        : conversationMessages(caller.id, conversationId, filter, { limit: page.pageSize, offset: page.offset });
    return jsonResponse({
      items: messages.map((message) => recordItem(message, shopId, memberId)),
      ...paginationBlocks(req.url, page, total),
    });
  });
}

/** POST /chat-records/create: the member writes to the shop, or the shop's seller answers the member. */
export function chatRecordCreate(req: Request): Promise<Response> {
  return actionRoute(async () => {
    const caller = requestUser(req);
    const params = await readParams(req);
    const memberId = requiredUserId(params, 'memberId');
    const shopId = requiredShopId(params);
    const type = messageTypeParam(params, { required: true })!;
    const content = contentParam(params);
    const party = callerParty(caller, memberId, shopId);
    // The chat is opened with the record, in its transaction: a refused first record opens none.
    sendMessage({ senderId: caller.id, opens: party.as === 'seller' ? { shopId: party.shop.id, memberId } : { shopId }, type, content });
    return jsonResponse({ result: 'success', message: 'the record is saved' });
  });
}

/** POST /chat-records/delete: removes one record from the caller's own view; the other side keeps it. */
export function chatRecordDelete(req: Request): Promise<Response> {
  return actionRoute(async () => {
    const caller = requestUser(req);
    const params = await readParams(req);
    const memberId = requiredUserId(params, 'memberId');
    const id = requiredRecordId(params);
    requireOwnMemberId(caller, memberId);

    // Only a record of a chat with a shop is a chat record; any other id is as unknown as a missing one.
    const message = getVisibleMessage(caller.id, id);
    if (getConversation(caller.id, message.conversationId).shop === null) throw notFound('no such message');
    deleteMessageForMe(caller.id, id);
    return jsonResponse({ result: 'success', message: 'the record is deleted' });
  });
}

/** GET /chat-records/chat-list: one element per shop the member has written with, latest first. */
export function chatRecordChatList(req: Request): Promise<Response> {
  return listRoute(async () => {
    const caller = requestUser(req);
    const params = await readParams(req);
    const memberId = requiredUserId(params, 'memberId');
    requireOwnMemberId(caller, memberId);

    const items = listConversations(caller.id, { shopsOnly: true, order: 'recent' })
      // The member's side of shop chats only (a seller's own shops' chats are not "shops they talked to"),
      // and only chats with a record left to show.
      .filter((chat) => chat.fromId === caller.id && chat.shop !== null && chat.lastMessage !== null)
      .map((chat) => chatListItem(chat.lastMessage!, chat.shop!, memberId, req.url));
    return jsonResponse(items);
  });
}
