package dev.hearth.startd.net;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hearth.patchdb.DbPath;
import dev.hearth.patchdb.Tx;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.HostnameInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The user's address toggles, kept where no package can reach them ({@code
 * /private/addressToggles}): a binding's {@code addresses.enabled/disabled} in the public model is
 * a copy a package could wipe by clearing its bindings and binding again, so {@code bind} takes the
 * toggles from here.
 */
public final class UserToggles {
  private UserToggles() {}

  /**
   * What the user set on one binding, by address and not by port ({@code "<host>"} or {@code
   * "<host>#tls"}: true = turned on, false = turned off): the ports a binding gets may change from
   * one bind to the next (a port the package may not have is replaced by a free one each time).
   */
  public record Toggles(Map<String, Boolean> byAddress) {
    public Toggles {
      byAddress = byAddress == null ? Map.of() : Map.copyOf(byAddress);
    }

    static final Toggles NONE = new Toggles(Map.of());
  }

  private static String name(HostnameInfo h) {
    return h.ssl() ? h.hostname() + "#tls" : h.hostname();
  }

  private static final DbPath<Map<String, Toggles>> ALL =
      DbPath.of(PrivatePaths.ROOT.child("addressToggles"), new TypeReference<>() {});

  /** The key of a binding: the server's UI ({@code pkg} null) or a package's host and port. */
  public static String key(@Nullable String pkg, @Nullable String hostId, int internalPort) {
    return pkg == null ? "server/" + internalPort : pkg + "/" + hostId + "/" + internalPort;
  }

  /** Remembers what differs from the defaults in {@code addresses}, for binding {@code key}. */
  static void remember(Tx tx, String key, BindInfo.Addresses addresses) {
    Map<String, Boolean> set = new LinkedHashMap<>();
    for (HostnameInfo h : addresses.available()) {
      boolean on = AddressToggles.isEnabled(addresses, h);
      if (on == h.exposed()) { // public and on, or private and off
        set.put(name(h), on);
      }
    }
    Map<String, Toggles> all = new LinkedHashMap<>(tx.get(ALL).orElse(Map.of()));
    all.put(key, new Toggles(set));
    tx.put(ALL, all);
  }

  /**
   * {@code available} with the user's toggles for binding {@code key} applied, on today's ports
   * ({@code guaAccess} as given).
   */
  public static BindInfo.Addresses apply(
      Tx tx, String key, List<HostnameInfo> available, Map<String, BindInfo.GuaAccess> gua) {
    Toggles user = tx.get(ALL).orElse(Map.of()).getOrDefault(key, Toggles.NONE);
    List<String> enabled = new ArrayList<>();
    List<BindInfo.HostPort> disabled = new ArrayList<>();
    for (HostnameInfo h : available) {
      Boolean on = user.byAddress().get(name(h));
      if (on == null || h.port() == null) {
        continue;
      }
      if (h.exposed() && on) {
        enabled.add(AddressToggles.socketAddress(h));
      } else if (!h.exposed() && !on) {
        disabled.add(new BindInfo.HostPort(h.hostname(), h.port()));
      }
    }
    return new BindInfo.Addresses(enabled, disabled, gua, available);
  }
}
