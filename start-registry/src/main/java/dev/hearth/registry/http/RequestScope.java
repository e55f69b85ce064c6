package dev.hearth.registry.http;

import dev.hearth.registry.pkg.DeviceInfo;
import java.util.Optional;

/**
 * Runs a call with what its handlers may need of the request besides params and caller: the base
 * URL the client addressed (download links are made absolute under it) and the device it named.
 */
@FunctionalInterface
public interface RequestScope {
  void around(String base, Optional<DeviceInfo> device, Runnable call);
}
