import type { ReactNode } from 'react';
import { ChatsShell } from './chats-shell';

// The chat list beside the open conversation (on a phone: one or the other).
export default function ChatsLayout({ children }: { children: ReactNode }) {
  return <ChatsShell>{children}</ChatsShell>;
}
