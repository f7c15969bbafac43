import { z } from 'zod';
import { MAX_MESSAGE_ID } from '../../domain/ids';
import { MESSAGE_TYPE_NAMES } from '../../domain/message-types';
import { deleteMessageForMe, MAX_CONTENT_LENGTH, sendMessage } from '../../domain/messages';
import { authedProcedure, router } from '../init';

const messageId = z.bigint().min(1n).max(MAX_MESSAGE_ID);

export const messagesRouter = router({
  /** The web app's way to send when its socket is down; the same id sent twice is stored once. */
  send: authedProcedure
    .input(
      z.object({
        conversationId: z.number().int().positive(),
        type: z.enum(MESSAGE_TYPE_NAMES),
        content: z.string().min(1).max(MAX_CONTENT_LENGTH),
        id: messageId.optional(),
      }),
    )
    .mutation(({ ctx, input }) => sendMessage({ ...input, senderId: ctx.user.id }).message),
  deleteForMe: authedProcedure
    .input(z.object({ messageId }))
    .mutation(({ ctx, input }) => deleteMessageForMe(ctx.user.id, input.messageId)),
});
