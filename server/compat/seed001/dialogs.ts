// GET /api/dialog (seed 001): the caller's dialogs as a JSON:API document, with the related
// resources `include` asks for.
import { countConversations, listConversations, type ConversationSummary } from '../../domain/conversations';
import { getUser, groupsOfUser, profileFor } from '../../domain/users';
import { requestUser } from '../../rest/http';
import { readParams } from '../params';
import { jsonApiResponse, jsonApiRoute } from './errors';
import { paginationLinks } from './links';
import { parseDialogQuery, type IncludePath } from './query';
import { dialogMessageResource, dialogResource, groupResource, userResource, type Resource } from './resources';

/**
 * Each related resource once: users in the order the dialogs name them, then their groups, then
 * the last messages. `sender.groups` includes the senders too (JSON:API: intermediate resources of
 * an include path are included), and those users then carry their `groups` relationship.
 */
function includedResources(
  dialogs: ConversationSummary[],
  include: ReadonlySet<IncludePath>,
  callerId: number,
  requestUrl: string,
): Resource[] {
  const userIds = new Map<number, { withGroups: boolean }>();
  const addUser = (userId: number, withGroups: boolean) => {
    const entry = userIds.get(userId) ?? { withGroups: false };
    entry.withGroups ||= withGroups;
    userIds.set(userId, entry);
  };
  for (const dialog of dialogs) {
    if (include.has('sender') || include.has('sender.groups')) addUser(dialog.fromId, include.has('sender.groups'));
    if (include.has('recipient') || include.has('recipient.groups')) addUser(dialog.toId, include.has('recipient.groups'));
  }

  const users: Resource[] = [];
  const groups = new Map<number, Resource>();
  for (const [userId, { withGroups }] of userIds) {
    const userGroups = withGroups ? groupsOfUser(userId) : undefined;
    for (const group of userGroups ?? []) if (!groups.has(group.id)) groups.set(group.id, groupResource(group));
    const profile = profileFor(callerId, getUser(userId));
    users.push(userResource(profile, callerId, requestUrl, userGroups?.map((group) => group.id)));
  }

  const messages = new Map<string, Resource>();
  if (include.has('dialogMessage')) {
    for (const dialog of dialogs) {
      if (dialog.lastMessage) messages.set(String(dialog.lastMessage.id), dialogMessageResource(dialog.lastMessage));
    }
  }
  return [...users, ...groups.values(), ...messages.values()];
}

export function dialogList(req: Request): Promise<Response> {
  return jsonApiRoute(async () => {
    const caller = requestUser(req);
    const query = parseDialogQuery(await readParams(req));
    const total = countConversations(caller.id);
    const dialogs = listConversations(caller.id, {
      order: query.order,
      limit: query.pageLimit,
      offset: (query.pageNumber - 1) * query.pageLimit,
    });
    return jsonApiResponse({
      links: paginationLinks(req.url, query.pageNumber, query.pageLimit, total),
      data: dialogs.map((dialog) => dialogResource(dialog, caller.id)),
      // Present whenever something was asked to be included, even if nothing matched, so clients can iterate it.
      ...(query.include.size > 0 ? { included: includedResources(dialogs, query.include, caller.id, req.url) } : {}),
      meta: { total, size: query.pageLimit },
    });
  });
}
