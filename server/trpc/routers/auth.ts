import { z } from 'zod';
import { revokeSession, SESSION_TTL_MS, signIn, signUp, type SignedIn } from '../../domain/accounts';
import { clearedSessionCookie, sessionCookie } from '../../rest/http';
import type { Context } from '../context';
import { authedProcedure, publicProcedure, router } from '../init';

const signUpInput = z.object({
  username: z.string().trim().min(2).max(32),
  password: z.string().min(8).max(200),
  nickname: z.string().trim().min(1).max(64).optional(),
  role: z.enum(['member', 'seller']).optional(),
});

const signInInput = z.object({ username: z.string().trim().min(1).max(32), password: z.string().min(1).max(200) });

/** The browser keeps the session in an httpOnly cookie; the token never reaches page scripts. */
function startBrowserSession(ctx: Context, { user, token }: SignedIn) {
  ctx.resHeaders?.append('set-cookie', sessionCookie(token, SESSION_TTL_MS / 1000));
  return user;
}

export const authRouter = router({
  me: publicProcedure.query(({ ctx }) => ctx.user),
  signUp: publicProcedure
    .input(signUpInput)
    .mutation(async ({ ctx, input }) => startBrowserSession(ctx, await signUp(input, ctx.ip))),
  signIn: publicProcedure
    .input(signInInput)
    .mutation(async ({ ctx, input }) => startBrowserSession(ctx, await signIn(input.username, input.password, ctx.ip))),
  signOut: authedProcedure.mutation(({ ctx }) => {
    if (ctx.token) revokeSession(ctx.token);
    ctx.resHeaders?.append('set-cookie', clearedSessionCookie);
    return { ok: true };
  }),
});
