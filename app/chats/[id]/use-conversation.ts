'use client';
// One conversation's messages as the pane shows them: the newest page from tRPC, older pages on
// demand, live arrivals, delivery and read marks from the socket, and a catch-up after every
// reconnect. The list stays ordered by seq; `firstItemIndex` drops by the number of messages
// prepended, which is what keeps the virtualized view from jumping.
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { typeFromDialect } from '@/server/domain/message-types';
import { useLiveChannel } from '../../_lib/live/live-provider';
import type { Frame } from '../../_lib/live/live-channel';
import type { HistoryMessage } from '../../_lib/types';
import { useTRPC, useTRPCClient } from '../../providers';

const PAGE = 50;
/** Virtuoso needs indexes that only go down as items are prepended; start far from zero. */
const FIRST_INDEX = 1_000_000;

type State = {
  conversationId: number;
  messages: HistoryMessage[];
  loaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  firstItemIndex: number;
  peerReadSeq: number;
  /** Deliveries reported for own messages the list does not show yet (the Delivered frame can beat the fetch). */
  deliveredEarly: Map<bigint, number>;
};

type Action =
  | { kind: 'reset'; conversationId: number }
  | { kind: 'firstPage'; messages: HistoryMessage[]; hasOlder: boolean }
  | { kind: 'loadingOlder' }
  | { kind: 'older'; messages: HistoryMessage[]; hasOlder: boolean }
  | { kind: 'newer'; messages: HistoryMessage[] }
  | { kind: 'delivered'; ids: bigint[]; at: number }
  | { kind: 'peerRead'; seq: number };

function mergeNewer(current: HistoryMessage[], incoming: HistoryMessage[], deliveredEarly: Map<bigint, number>): HistoryMessage[] {
  const known = new Set(current.map((message) => message.id));
  const fresh = incoming
    .filter((message) => !known.has(message.id))
    .map((message) => (message.deliveredAt === null && deliveredEarly.has(message.id) ? { ...message, deliveredAt: deliveredEarly.get(message.id)! } : message));
  if (fresh.length === 0) return current;
  return [...current, ...fresh].sort((a, b) => a.seq - b.seq);
}

function reduce(state: State, action: Action): State {
  switch (action.kind) {
    case 'reset':
      return {
        conversationId: action.conversationId,
        messages: [],
        loaded: false,
        hasOlder: false,
        loadingOlder: false,
        firstItemIndex: FIRST_INDEX,
        peerReadSeq: 0,
        deliveredEarly: new Map(),
      };
    case 'firstPage':
      return { ...state, loaded: true, hasOlder: action.hasOlder, messages: mergeNewer(action.messages, state.messages, state.deliveredEarly) };
    case 'loadingOlder':
      return { ...state, loadingOlder: true };
    case 'older': {
      const known = new Set(state.messages.map((message) => message.id));
      const older = action.messages.filter((message) => !known.has(message.id));
      return { ...state, loadingOlder: false, hasOlder: action.hasOlder, messages: [...older, ...state.messages], firstItemIndex: state.firstItemIndex - older.length };
    }
    case 'newer':
      return { ...state, messages: mergeNewer(state.messages, action.messages, state.deliveredEarly) };
    case 'delivered': {
      const ids = new Set(action.ids);
      const deliveredEarly = new Map(state.deliveredEarly);
      for (const id of ids) deliveredEarly.set(id, action.at);
      return {
        ...state,
        deliveredEarly,
        messages: state.messages.map((message) => (ids.has(message.id) && message.deliveredAt === null ? { ...message, deliveredAt: action.at } : message)),
      };
    }
    case 'peerRead':
      return action.seq > state.peerReadSeq ? { ...state, peerReadSeq: action.seq } : state;
  }
}

/** A message frame from the socket in the shape tRPC's history gives. */
function fromFrame(frame: Frame): HistoryMessage {
  return {
    id: BigInt(frame.id),
    conversationId: frame.cId,
    seq: frame.seq,
    senderId: frame.fromUserId,
    recipientId: frame.toUserId,
    type: typeFromDialect('seed002', frame.msgType) ?? 'text',
    content: String(frame.content),
    createdAt: frame.timestamp,
    deliveredAt: null,
    read: false,
  };
}

/** The highest seq up to which the list has every message: where a catch-up must start. */
function contiguousSeq(messages: HistoryMessage[]): number {
  if (messages.length === 0) return 0;
  let seq = messages[0].seq;
  for (const message of messages.slice(1)) {
    if (message.seq !== seq + 1) break;
    seq = message.seq;
  }
  return seq;
}

export function useConversation(conversationId: number, myId: number) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const channel = useLiveChannel();
  const [state, dispatch] = useReducer(reduce, conversationId, (id) => reduce({} as State, { kind: 'reset', conversationId: id }));
  const stateRef = useRef(state);
  stateRef.current = state;

  const summary = useQuery(trpc.conversations.get.queryOptions({ conversationId }));
  const firstPage = useQuery({ ...trpc.conversations.history.queryOptions({ conversationId, limit: PAGE }), staleTime: Infinity, gcTime: 0 });

  if (state.conversationId !== conversationId) dispatch({ kind: 'reset', conversationId });

  useEffect(() => {
    if (firstPage.data) dispatch({ kind: 'firstPage', messages: firstPage.data.messages, hasOlder: firstPage.data.hasMore });
  }, [firstPage.data]);

  useEffect(() => {
    if (summary.data) dispatch({ kind: 'peerRead', seq: summary.data.peerReadSeq });
  }, [summary.data]);

  const catchingUp = useRef(false);
  const catchUpAgain = useRef(false);
  /** Fetches whatever the list lacks after its last contiguous message (after a reconnect, or an own send's Ack). */
  const catchUp = useCallback(async () => {
    if (!stateRef.current.loaded) return;
    // A request during a fetch may concern a message stored after that fetch began: go round again.
    if (catchingUp.current) {
      catchUpAgain.current = true;
      return;
    }
    catchingUp.current = true;
    try {
      do {
        catchUpAgain.current = false;
        let afterSeq = contiguousSeq(stateRef.current.messages);
        for (;;) {
          const page = await trpcClient.conversations.history.query({ conversationId, afterSeq, limit: 200 });
          if (stateRef.current.conversationId !== conversationId) return;
          dispatch({ kind: 'newer', messages: page.messages });
          if (!page.hasMore || page.messages.length === 0) break;
          afterSeq = page.messages[page.messages.length - 1].seq;
        }
      } while (catchUpAgain.current);
    } catch {
      // The next reconnect or Ack tries again.
    } finally {
      catchingUp.current = false;
    }
  }, [trpcClient, conversationId]);

  // Anything stored between the first page's read and the socket's arrival is fetched once loaded.
  useEffect(() => {
    if (state.loaded) void catchUp();
  }, [state.loaded, catchUp]);

  const loadOlder = useCallback(async () => {
    const current = stateRef.current;
    if (!current.loaded || !current.hasOlder || current.loadingOlder || current.messages.length === 0) return;
    dispatch({ kind: 'loadingOlder' });
    try {
      const page = await trpcClient.conversations.history.query({ conversationId, beforeSeq: current.messages[0].seq, limit: PAGE });
      if (stateRef.current.conversationId === conversationId) dispatch({ kind: 'older', messages: page.messages, hasOlder: page.hasMore });
    } catch {
      dispatch({ kind: 'older', messages: [], hasOlder: true });
    }
  }, [trpcClient, conversationId]);

  useEffect(() => {
    const offs = [
      channel.on('message', (frame) => {
        if (frame.cId === conversationId) dispatch({ kind: 'newer', messages: [fromFrame(frame)] });
      }),
      channel.on('delivered', (event) => {
        if (event.conversationId === conversationId) dispatch({ kind: 'delivered', ids: event.ids, at: Date.now() });
      }),
      channel.on('read', (event) => {
        if (event.conversationId === conversationId && event.readerId !== myId) dispatch({ kind: 'peerRead', seq: event.seq });
      }),
      channel.on('acked', (entry) => {
        if (entry.conversationId === conversationId) void catchUp();
      }),
      channel.on('reconnected', () => void catchUp()),
    ];
    return () => offs.forEach((off) => off());
  }, [channel, conversationId, myId, catchUp]);

  // An own message the history now shows leaves the outbox.
  useEffect(() => {
    const stored = new Set(state.messages.map((message) => message.id.toString()));
    for (const entry of channel.outboxOf(conversationId)) if (stored.has(entry.id)) channel.forget(entry.id);
  }, [state.messages, channel, conversationId]);

  return { state, summary, firstPage, loadOlder };
}
