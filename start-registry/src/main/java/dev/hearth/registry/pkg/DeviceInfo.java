package dev.hearth.registry.pkg;

import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.exver.ExtendedVersion;
import dev.hearth.exver.Version;
import dev.hearth.exver.VersionRange;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The machine a server asks for ({@code X-StartOS-Device-Info}, rpc.md §4.8): its OS version, the
 * range of package OS versions it runs, its platform, language, architecture and RAM. The registry
 * answers with only what that machine can install.
 */
public record DeviceInfo(
    @Nullable String osVersion,
    @Nullable String osCompat,
    @Nullable String platform,
    @Nullable String language,
    @Nullable String arch,
    @Nullable Long ram) {
  public static final String HEADER = "X-StartOS-Device-Info";

  /**
   * @throws StartException INVALID_REQUEST if a field is malformed
   */
  public static DeviceInfo parse(String header) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String pair : header.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        f.put(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    try {
      String ram = f.get("hardware.ram");
      var info =
          new DeviceInfo(
              f.get("os.version"),
              f.get("os.compat"),
              f.get("os.platform"),
              f.get("os.language"),
              f.get("hardware.arch"),
              ram == null ? null : Long.parseLong(ram));
      info.compat(); // parsed now, so that a bad range is the client's error
      return info;
    } catch (RuntimeException e) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST, HEADER + " is malformed: " + e.getMessage(), e);
    }
  }

  public String header() {
    StringBuilder out = new StringBuilder();
    add(out, "os.version", osVersion);
    add(out, "os.compat", osCompat);
    add(out, "os.platform", platform);
    add(out, "os.language", language);
    add(out, "hardware.arch", arch);
    add(out, "hardware.ram", ram == null ? null : ram.toString());
    return out.toString();
  }

  private static void add(StringBuilder out, String key, @Nullable String value) {
    if (value != null) {
      out.append(out.isEmpty() ? "" : "&")
          .append(key)
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }

  @Nullable VersionRange compat() {
    return osCompat == null ? null : VersionRange.parse(osCompat);
  }

  /** Whether a package built for OS {@code packageOs} runs here. */
  boolean runs(String packageOs) {
    VersionRange range = compat();
    if (range == null) {
      return true;
    }
    try {
      return ExtendedVersion.of(Version.parse(packageOs), Version.of(0)).satisfies(range);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
