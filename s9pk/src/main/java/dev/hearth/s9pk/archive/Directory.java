package dev.hearth.s9pk.archive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable directory: entries by name, in upstream's name order (UTF-8 bytes). Changing it
 * yields a copy; a changed child directory gets a fresh hash and size, so an archive built from a
 * changed tree must be signed again.
 */
public final class Directory {
  private final SortedMap<String, Entry> entries;

  private Directory(TreeMap<String, Entry> entries) {
    this.entries = Collections.unmodifiableSortedMap(entries);
  }

  public static Directory empty() {
    return new Directory(new TreeMap<>(Names.ORDER));
  }

  /**
   * @throws IllegalArgumentException if a name is not a single, non-empty path segment
   */
  public static Directory of(Map<String, Entry> entries) {
    TreeMap<String, Entry> copy = new TreeMap<>(Names.ORDER);
    entries.forEach((name, entry) -> {
      String problem = Names.problem(name);
      if (problem != null) {
        throw new IllegalArgumentException("entry name " + Names.quoted(name) + " " + problem);
      }
      copy.put(name, entry);
    });
    return new Directory(copy);
  }

  /** Entries in name order. */
  public SortedMap<String, Entry> entries() {
    return entries;
  }

  public Optional<Entry> get(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** The entry at a slash-separated path such as {@code images/x86_64/main.squashfs}. */
  public Optional<Entry> find(String path) {
    Directory dir = this;
    String[] parts = path.split("/", -1);
    for (int i = 0; i < parts.length - 1; i++) {
      Optional<Directory> next = dir.get(parts[i]).flatMap(Entry::directory);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      dir = next.get();
    }
    return dir.get(parts[parts.length - 1]);
  }

  /** A copy with {@code name} set to {@code entry}. */
  public Directory with(String name, Entry entry) {
    TreeMap<String, Entry> copy = new TreeMap<>(entries);
    copy.put(name, entry);
    return of(copy);
  }

  public Directory without(String name) {
    TreeMap<String, Entry> copy = new TreeMap<>(entries);
    copy.remove(name);
    return new Directory(copy);
  }

  /**
   * A copy with the entry at a slash-separated path set, creating directories on the way; each
   * directory on the path is rebuilt and so gets a fresh hash.
   */
  public Directory withPath(String path, Entry entry) {
    int slash = path.indexOf('/');
    if (slash < 0) {
      return with(path, entry);
    }
    String head = path.substring(0, slash);
    Directory child = get(head).flatMap(Entry::directory).orElse(empty());
    return with(head, Entry.directory(child.withPath(path.substring(slash + 1), entry)));
  }

  /** Same hashes and sizes with the children replaced (they must keep their own hash and size). */
  public Directory withEntries(Map<String, Entry> replaced) {
    TreeMap<String, Entry> copy = new TreeMap<>(entries);
    replaced.forEach((name, e) -> {
      Entry old = entries.get(name);
      if (old == null || !old.hash().equals(e.hash()) || old.size() != e.size()) {
        throw new IllegalArgumentException(
            "replacing " + Names.quoted(name) + " must keep its signed hash and size");
      }
      copy.put(name, e);
    });
    return new Directory(copy);
  }

  /** Every path below this directory, depth first in name order, directories included. */
  public List<String> paths() {
    List<String> out = new ArrayList<>();
    collect("", out);
    return out;
  }

  private void collect(String prefix, List<String> out) {
    entries.forEach((name, entry) -> {
      out.add(prefix + name);
      entry.directory().ifPresent(d -> d.collect(prefix + name + "/", out));
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Directory d && entries.equals(d.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "Directory" + entries.keySet();
  }
}
