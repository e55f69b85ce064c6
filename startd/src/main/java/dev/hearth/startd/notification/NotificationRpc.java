package dev.hearth.startd.notification;

import dev.hearth.api.NotificationApi;
import dev.hearth.jsonrpc.RpcTree;

/** Binds the {@code notification.*} methods to {@link Notifications}. */
public final class NotificationRpc {
  private NotificationRpc() {}

  public static void bind(RpcTree.Builder tree, Notifications notifications) {
    tree.bind(NotificationApi.LIST, (ctx, p) -> notifications.list(p.before(), p.limit()))
        .bind(
            NotificationApi.CREATE,
            (ctx, p) ->
                notifications.create(
                    p.packageId(),
                    p.level(),
                    p.title(),
                    p.message(),
                    Notifications.CODE_PLAIN,
                    null))
        .bind(
            NotificationApi.REMOVE,
            (ctx, p) -> {
              notifications.remove(p.ids());
              return null;
            })
        .bind(
            NotificationApi.REMOVE_BEFORE,
            (ctx, p) -> {
              notifications.removeBefore(p.before());
              return null;
            })
        .bind(
            NotificationApi.MARK_SEEN,
            (ctx, p) -> {
              notifications.markSeen(p.ids());
              return null;
            })
        .bind(
            NotificationApi.MARK_SEEN_BEFORE,
            (ctx, p) -> {
              notifications.markSeenBefore(p.before());
              return null;
            })
        .bind(
            NotificationApi.MARK_UNSEEN,
            (ctx, p) -> {
              notifications.markUnseen(p.ids());
              return null;
            });
  }
}
