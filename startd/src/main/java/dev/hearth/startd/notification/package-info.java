/**
 * Notifications (lifecycle.md §6): numbered messages with a level, posted by the system, by
 * services and through {@code notification.create}, kept in the public model so clients see each
 * one arrive, with {@code serverInfo.unreadNotificationCount} kept in step in the same transaction.
 */
@NullMarked
package dev.hearth.startd.notification;

import org.jspecify.annotations.NullMarked;
