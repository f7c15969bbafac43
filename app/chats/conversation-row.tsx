import { Avatar } from '../_components/avatar';
import { formatListTime, messagePreview } from '../_lib/format';
import type { ConversationSummary } from '../_lib/types';

/**
 * A member sees a shop chat under the shop's name and logo; the shop's seller sees the member
 * who wrote, with the shop named beside (they may run several).
 */
function displayedParty(conversation: ConversationSummary, myId: number) {
  const { shop, peer } = conversation;
  if (shop && shop.sellerId !== myId) return { name: shop.name, picture: shop.logo, viaShop: null };
  return { name: peer.nickname, picture: peer.avatar, viaShop: shop?.name ?? null };
}

export function ConversationRow({ conversation, myId }: { conversation: ConversationSummary; myId: number }) {
  const { name, picture, viaShop } = displayedParty(conversation, myId);
  const { lastMessage, unread, pinned } = conversation;
  const time = lastMessage?.createdAt ?? conversation.updatedAt;

  return (
    <li className="conversation">
      <Avatar name={name} src={picture} />
      <div className="conversation-main">
        <div className="conversation-line">
          <span className="conversation-name">
            {name}
            {viaShop && <span className="tag">{viaShop}</span>}
          </span>
          <time className="conversation-time" dateTime={new Date(time).toISOString()}>
            {formatListTime(time)}
          </time>
        </div>
        <div className="conversation-line">
          <span className="conversation-preview">
            {lastMessage ? (
              <>
                {lastMessage.senderId === myId && <span className="muted">You: </span>}
                {messagePreview(lastMessage)}
              </>
            ) : (
              <span className="muted">No messages yet</span>
            )}
          </span>
          <span className="conversation-marks">
            {pinned && (
              <span className="pin" title="Pinned">
                <span aria-hidden="true">📌</span>
                <span className="visually-hidden">Pinned</span>
              </span>
            )}
            {unread > 0 && (
              <span className="badge">
                {unread > 99 ? '99+' : unread}
                <span className="visually-hidden"> unread</span>
              </span>
            )}
          </span>
        </div>
      </div>
    </li>
  );
}
