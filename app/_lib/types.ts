// What the pages receive from the server, named once from the router's own types.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';

type RouterOutputs = inferRouterOutputs<AppRouter>;

export type SignedInUser = NonNullable<RouterOutputs['auth']['me']>;
export type ConversationSummary = RouterOutputs['conversations']['list'][number];
export type HistoryMessage = RouterOutputs['conversations']['history']['messages'][number];
export type Shop = RouterOutputs['shops']['list'][number];
