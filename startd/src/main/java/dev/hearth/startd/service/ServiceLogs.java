package dev.hearth.startd.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.system.LogStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Each service's log store, and the one file watch that wakes every runtime's log tail. */
final class ServiceLogs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceLogs.class);

  private final DataDirs dirs;
  private final String bootId;
  private final ObjectMapper mapper;
  private final Map<PackageId, LogStore> stores = new ConcurrentHashMap<>();
  private final @Nullable FileChanges changes = fileChanges();

  ServiceLogs(DataDirs dirs, String bootId, ObjectMapper mapper) {
    this.dirs = dirs;
    this.bootId = bootId;
    this.mapper = mapper;
  }

  /** The watch, or none (each tail then polls). */
  private static @Nullable FileChanges fileChanges() {
    try {
      return new FileChanges();
    } catch (java.io.IOException e) {
      log.warn("cannot watch files, runtime logs are polled: {}", e.toString());
      return null;
    }
  }

  LogStore store(PackageId id) {
    return stores.computeIfAbsent(
        id, i -> new LogStore(dirs.logs(i), "service.log", bootId, mapper));
  }

  @Nullable FileChanges changes() {
    return changes;
  }

  /** Closes {@code id}'s store (its files stay unless the caller deletes them). */
  void forget(PackageId id) {
    LogStore store = stores.remove(id);
    if (store != null) {
      store.close();
    }
  }

  @Override
  public void close() {
    stores.values().forEach(LogStore::close);
    stores.clear();
    if (changes != null) {
      changes.close();
    }
  }
}
