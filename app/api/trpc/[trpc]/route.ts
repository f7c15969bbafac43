import { handleTrpcRequest } from '@/server/trpc/http';

// GET, POST /api/trpc/*: the web app's procedures (server/trpc/root.ts)
export { handleTrpcRequest as GET, handleTrpcRequest as POST };
