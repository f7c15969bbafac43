import { z } from 'zod';
import { searchUsers } from '../../domain/users';
import { authedProcedure, router } from '../init';

export const usersRouter = router({
  search: authedProcedure
    .input(z.object({ query: z.string().trim().min(1).max(64) }))
    .query(({ ctx, input }) => searchUsers(input.query).filter((user) => user.id !== ctx.user.id)),
});
