import { createCallerFactory, router } from './init';
import { authRouter } from './routers/auth';
import { conversationsRouter } from './routers/conversations';
import { messagesRouter } from './routers/messages';
import { shopsRouter } from './routers/shops';
import { usersRouter } from './routers/users';

export const appRouter = router({
  auth: authRouter,
  conversations: conversationsRouter,
  messages: messagesRouter,
  shops: shopsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (tests, and the socket gateway). */
export const createCaller = createCallerFactory(appRouter);
