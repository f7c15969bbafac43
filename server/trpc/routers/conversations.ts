import { z } from 'zod';
import { conversationHistory } from '../../domain/messages';
import {
  getConversation,
  hideConversation,
  listConversations,
  markConversationRead,
  openDirectConversation,
  openShopConversation,
  setConversationPinned,
} from '../../domain/conversations';
import { authedProcedure, router } from '../init';

const conversationId = z.number().int().positive();
const seq = z.number().int().min(0);

export const conversationsRouter = router({
  list: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(200), offset: z.number().int().min(0).default(0) }).default({ limit: 200, offset: 0 }))
    .query(({ ctx, input }) => listConversations(ctx.user.id, input)),
  get: authedProcedure
    .input(z.object({ conversationId }))
    .query(({ ctx, input }) => getConversation(ctx.user.id, input.conversationId)),
  openWithUser: authedProcedure
    .input(z.object({ userId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => getConversation(ctx.user.id, openDirectConversation(ctx.user.id, input.userId))),
  openWithShop: authedProcedure
    .input(z.object({ shopId: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => getConversation(ctx.user.id, openShopConversation(ctx.user.id, input.shopId))),
  history: authedProcedure
    .input(
      z
        .object({
          conversationId,
          beforeSeq: seq.optional(),
          afterSeq: seq.optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .refine((q) => q.beforeSeq === undefined || q.afterSeq === undefined, 'give beforeSeq or afterSeq, not both'),
    )
    .query(({ ctx, input }) => conversationHistory(ctx.user.id, input.conversationId, input)),
  markRead: authedProcedure
    .input(z.object({ conversationId, uptoSeq: seq.optional() }))
    .mutation(({ ctx, input }) => {
      markConversationRead(ctx.user.id, input.conversationId, input.uptoSeq);
      return getConversation(ctx.user.id, input.conversationId);
    }),
  setPinned: authedProcedure
    .input(z.object({ conversationId, pinned: z.boolean() }))
    .mutation(({ ctx, input }) => setConversationPinned(ctx.user.id, input.conversationId, input.pinned)),
  hide: authedProcedure
    .input(z.object({ conversationId }))
    .mutation(({ ctx, input }) => hideConversation(ctx.user.id, input.conversationId)),
});
