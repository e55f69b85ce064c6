package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.startd.db.Database;
import dev.hearth.startd.notification.Notifications;
import java.time.InstantSource;
import java.util.concurrent.Semaphore;

/**
 * What every actor and transition of the service wing shares: the database, the files, the way
 * containers are made, time. Built once by {@link Services}; tests build one around fakes.
 *
 * @param bootSlots how many services load at once at boot: each load mostly waits on the container
 *     and Node
 */
record ServiceContext(
    Database db,
    DataDirs dirs,
    Archives archives,
    Loader loader,
    Notifications notifications,
    InstallProgress progress,
    ObjectMapper mapper,
    InstantSource clock,
    Scheduler scheduler,
    Checkpoint.Hooks hooks,
    Semaphore bootSlots) {
  static final int BOOT_CONCURRENCY = 4;
}
