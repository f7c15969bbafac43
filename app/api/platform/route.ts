import { platform } from '@/server/compat/seed004/platform';

// GET|POST /api/platform?s=Platform.ChatMessage.GetMessageList: PhalApi services (seed 004)
export { platform as GET, platform as POST };
