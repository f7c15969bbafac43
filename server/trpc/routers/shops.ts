import { z } from 'zod';
import { createShop, listShops, shopsOfSeller } from '../../domain/shops';
import { authedProcedure, publicProcedure, router } from '../init';

export const shopsRouter = router({
  list: publicProcedure.query(() => listShops()),
  mine: authedProcedure.query(({ ctx }) => shopsOfSeller(ctx.user.id)),
  create: authedProcedure
    .input(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
        name: z.string().trim().min(1).max(64),
        logo: z.string().max(500).optional(),
      }),
    )
    .mutation(({ ctx, input }) => createShop(ctx.user, input)),
});
