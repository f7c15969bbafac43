'use client';
// Opens the live channel for the signed-in user and connects it to the rest of the app: the chat
// list refreshes on every message and read, and a session the server ended signs the page out.
import { useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { MessageType } from '@/server/domain/message-types';
import { useTRPC, useTRPCClient } from '../../providers';
import { useEndSession } from '../session';
import { LiveChannel, type ConnectionStatus, type HttpSendResult, type OutboxEntry } from './live-channel';

const LiveContext = createContext<LiveChannel | null>(null);

function socketUrl(): string {
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws`;
}

export function LiveProvider({ userId, children }: { userId: number; children: ReactNode }) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const queryClient = useQueryClient();
  const endSession = useEndSession();
  const [channel] = useState(
    () =>
      new LiveChannel({
        userId,
        url: typeof window === 'undefined' ? '' : socketUrl(),
        sendOverHttp: async (entry: OutboxEntry): Promise<HttpSendResult> => {
          try {
            await trpcClient.messages.send.mutate({
              conversationId: entry.conversationId,
              type: entry.type as MessageType,
              content: entry.content,
              id: BigInt(entry.id),
            });
            return { outcome: 'sent' };
          } catch (error) {
            // An answer from the server is a refusal; no answer means no network.
            if (error instanceof TRPCClientError && error.data) return { outcome: 'refused', reason: error.message };
            return { outcome: 'offline' };
          }
        },
      }),
  );

  useEffect(() => {
    channel.start();
    const refreshList = () => {
      const queryKey = trpc.conversations.list.queryKey();
      // An invalidation does not restart a first fetch still in flight, which may predate the event: ask again after it.
      const firstFetchRunning = queryClient.getQueryState(queryKey)?.data === undefined;
      void queryClient.invalidateQueries({ queryKey }).then(() => {
        if (firstFetchRunning) void queryClient.invalidateQueries({ queryKey });
      });
    };
    const offs = [
      channel.on('message', refreshList),
      channel.on('read', refreshList),
      channel.on('acked', refreshList),
      channel.on('reconnected', refreshList),
      channel.on('sessionEnded', endSession),
    ];
    return () => {
      for (const off of offs) off();
      channel.stop();
    };
  }, [channel, queryClient, trpc, endSession]);

  return <LiveContext.Provider value={channel}>{children}</LiveContext.Provider>;
}

export function useLiveChannel(): LiveChannel {
  const channel = useContext(LiveContext);
  if (!channel) throw new Error('useLiveChannel outside LiveProvider');
  return channel;
}

/** Re-renders whenever the connection status or the outbox changes. */
export function useLiveVersion(): number {
  const channel = useLiveChannel();
  return useSyncExternalStore(channel.subscribe, channel.getVersion, () => 0);
}

export function useConnectionStatus(): ConnectionStatus {
  const channel = useLiveChannel();
  useLiveVersion();
  return channel.status;
}
