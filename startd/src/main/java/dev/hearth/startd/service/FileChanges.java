package dev.hearth.startd.service;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells listeners when a file was written, with one watch service (on Linux, one inotify instance
 * and one thread) for all of them. It watches the file's directory, which sees the file even before
 * it exists (the runtime's log is made by the container's init). Inotify works on the inode, so it
 * sees writes made from inside a container through a bind mount.
 */
final class FileChanges implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileChanges.class);

  private final WatchService service;
  private final Map<Path, Watched> dirs = new HashMap<>(); // guarded by this
  private final Thread thread;

  /** A watched directory: its key, and the listeners of files in it. */
  private record Watched(WatchKey key, List<Listener> listeners) {}

  private record Listener(Path file, Runnable onChange) {}

  FileChanges() throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    this.thread = Thread.ofVirtual().name("file-changes").start(this::run);
  }

  /**
   * Calls {@code onChange} (on this class's thread, so briefly) whenever {@code file} may have
   * changed, until the returned handle is closed. The directory must exist.
   */
  synchronized AutoCloseable watch(Path file, Runnable onChange) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Watched w = dirs.get(dir);
    if (w == null) {
      WatchKey key =
          dir.register(
              service,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_DELETE);
      w = new Watched(key, new CopyOnWriteArrayList<>());
      dirs.put(dir, w);
    }
    Listener listener = new Listener(file.toAbsolutePath(), onChange);
    w.listeners().add(listener);
    return () -> unwatch(dir, listener);
  }

  private synchronized void unwatch(Path dir, Listener listener) {
    Watched w = dirs.get(dir);
    if (w != null && w.listeners().remove(listener) && w.listeners().isEmpty()) {
      w.key().cancel();
      dirs.remove(dir);
    }
  }

  private synchronized List<Listener> listeners(Path dir) {
    Watched w = dirs.get(dir);
    return w == null ? List.of() : w.listeners();
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        Path dir = (Path) key.watchable();
        List<Listener> listeners = listeners(dir);
        for (WatchEvent<?> event : key.pollEvents()) {
          // An overflow lost events: everyone in the directory looks again.
          Path name =
              event.kind() == StandardWatchEventKinds.OVERFLOW ? null : (Path) event.context();
          for (Listener l : listeners) {
            if (name == null || dir.resolve(name).equals(l.file())) {
              l.onChange().run();
            }
          }
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      log.warn("closing the file watch failed: {}", e.getMessage());
    }
    thread.interrupt();
  }
}
