// Domain records as seed 001's JSON:API resources: dialog, users, groups, dialog_message.
// Numeric attributes stay numbers and resource ids are strings, as in the seed.
import type { ConversationSummary } from '../../domain/conversations';
import type { Message } from '../../domain/messages';
import type { UserProfile } from '../../domain/users';
import { isoWithOffset } from '../time';
import { absoluteUrl } from '../urls';

export type ResourceIdentifier = { type: string; id: string };
export type Relationship = { data: ResourceIdentifier | ResourceIdentifier[] };
export type Resource = ResourceIdentifier & {
  attributes: Record<string, unknown>;
  relationships?: Record<string, Relationship>;
};

const isoOrNull = (ms: number | null) => (ms === null ? null : isoWithOffset(ms));

export const userIdentifier = (userId: number): ResourceIdentifier => ({ type: 'users', id: String(userId) });
export const groupIdentifier = (groupId: number): ResourceIdentifier => ({ type: 'groups', id: String(groupId) });
export const dialogMessageIdentifier = (message: Message): ResourceIdentifier => ({
  type: 'dialog_message',
  id: String(message.id),
});

/**
 * A conversation as a dialog. Sender and recipient are the conversation's initiator and the other
 * user whoever asks, so their read times are looked up by who the caller is.
 */
export function dialogResource(dialog: ConversationSummary, callerId: number): Resource {
  const readAtOf = (userId: number) => (userId === callerId ? dialog.readAt : dialog.peerReadAt);
  const relationships: Record<string, Relationship> = {
    sender: { data: userIdentifier(dialog.fromId) },
    recipient: { data: userIdentifier(dialog.toId) },
  };
  // The seed's dialogs without a message carry no dialogMessage relationship at all (not a null one).
  if (dialog.lastMessage) relationships.dialogMessage = { data: dialogMessageIdentifier(dialog.lastMessage) };
  return {
    type: 'dialog',
    id: String(dialog.id),
    attributes: {
      // 64-bit message id as bare digits; 0 when the dialog has no message, as in the seed.
      dialog_message_id: dialog.lastMessage?.id ?? 0,
      sender_user_id: dialog.fromId,
      recipient_user_id: dialog.toId,
      // null: that participant has never read the dialog.
      sender_read_at: isoOrNull(readAtOf(dialog.fromId)),
      recipient_read_at: isoOrNull(readAtOf(dialog.toId)),
      updated_at: isoWithOffset(dialog.updatedAt),
      created_at: isoWithOffset(dialog.createdAt),
    },
    relationships,
  };
}

/** The seed's forum user status: 0 normal, 1 banned. */
const USER_STATUS = { normal: 0, banned: 1 } as const;

/**
 * A user with every attribute the seed's users carry. Forum counters we do not keep are 0 and forum
 * fields we do not keep are null. `profile` comes from profileFor(caller, …), so the private fields
 * (mobile, IPs, real name) are already empty unless it is the caller's own record.
 * The seed repeats `id` as a number inside attributes. JSON:API reserves that name, but the seed's
 * server wrote it and its clients read the numeric id there, so it stays.
 */
export function userResource(profile: UserProfile, callerId: number, requestUrl: string, groupIds?: number[]): Resource {
  const own = profile.id === callerId;
  return {
    type: 'users',
    id: String(profile.id),
    attributes: {
      id: profile.id,
      username: profile.username,
      mobile: profile.mobile,
      avatarUrl: absoluteUrl(profile.avatar, requestUrl),
      threadCount: 0,
      followCount: 0,
      fansCount: 0,
      follow: null,
      status: USER_STATUS[profile.status],
      loginAt: isoOrNull(profile.lastLoginAt),
      joinedAt: isoWithOffset(profile.createdAt),
      expiredAt: null,
      createdAt: isoWithOffset(profile.createdAt),
      updatedAt: isoWithOffset(profile.updatedAt),
      // Only one's own profile can be edited here, and nobody deletes users through this API.
      canEdit: own,
      canDelete: false,
      registerReason: null,
      originalMobile: profile.mobile,
      registerIp: profile.registerIp,
      lastLoginIp: profile.lastLoginIp,
      // Identity-card numbers are not kept.
      identity: null,
      realname: profile.realName,
    },
    ...(groupIds ? { relationships: { groups: { data: groupIds.map(groupIdentifier) } } } : {}),
  };
}

/**
 * A group with the attributes the seed's forum gave groups (name, color, icon, default), less its
 * `type`: JSON:API reserves that name, and the seed shows no group that would need it.
 */
export function groupResource(group: { id: number; name: string }): Resource {
  return {
    type: 'groups',
    id: String(group.id),
    attributes: {
      name: group.name,
      color: '',
      icon: '',
      // New sign-ups land in the member group.
      default: group.name === 'member',
    },
  };
}

export function dialogMessageResource(message: Message): Resource {
  return {
    type: 'dialog_message',
    id: String(message.id),
    attributes: {
      id: message.id,
      user_id: message.senderId,
      dialog_id: message.conversationId,
      message_text: message.content,
      // Messages are never edited: updated_at is when it was sent.
      updated_at: isoWithOffset(message.createdAt),
      created_at: isoWithOffset(message.createdAt),
    },
  };
}
