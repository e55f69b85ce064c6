package dev.hearth.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.MethodSpec;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Marketplace in {@code startd}: the registries this server browses (kept in {@code
 * /public/marketplace}), what each offers this machine, and what installing a version would do.
 * Hearth's own methods beside the {@code registry.*} proxy of rpc.md §4.8.
 */
public final class MarketplaceApi {
  private MarketplaceApi() {}

  /** A registry in the list: its name and icon as it gave them, and whether it is a default. */
  public record Registry(String name, @Nullable String icon, boolean isDefault) {}

  /** A registry install in progress: where from, which version, how far. */
  public record PendingInstall(String registry, String version, FullProgress progress) {}

  /** {@code /public/marketplace}. */
  public record Model(Map<String, Registry> registries, Map<String, PendingInstall> installs) {
    public static final Model EMPTY = new Model(Map.of(), Map.of());
  }

  public record UrlParams(String url) {
    public UrlParams {
      Objects.requireNonNull(url, "url");
    }
  }

  public record PackageParams(String registry, String id) {
    public PackageParams {
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(id, "id");
    }
  }

  /** What installing a listed version does, given what is installed (exver rules). */
  public enum Action {
    install,
    update,
    downgrade,
    /** Another flavor than the installed one: replaces it after a warning. */
    switchFlavor,
    reinstall
  }

  /**
   * A package on a registry, as this machine sees it.
   *
   * @param listing the registry's {@code package.get} with every version in full
   * @param installed the installed version, if any
   * @param installedFrom the registry the installed version came from (null: sideloaded)
   * @param actions for each listed version, what installing it does
   */
  public record PackageView(
      JsonNode listing,
      @Nullable String installed,
      @Nullable String installedFrom,
      Map<String, Action> actions) {}

  /** An update a registry offers for an installed package. */
  public record Update(
      String installed,
      String version,
      String title,
      @Nullable String icon,
      JsonNode releaseNotes,
      @Nullable String installedFrom) {}

  /** The updates of one registry. */
  public record RegistryUpdates(
      String name, Map<String, Update> packages, @Nullable String error) {}

  public static final MethodSpec<UrlParams, Registry> REGISTRY_ADD =
      MethodSpec.of(
              "marketplace.registry.add",
              UrlParams.class,
              Registry.class,
              "Add a registry to browse (asks it for its name and icon)")
          .syncingDb();

  public static final MethodSpec<UrlParams, Void> REGISTRY_REMOVE =
      MethodSpec.of(
              "marketplace.registry.remove",
              UrlParams.class,
              Void.class,
              "Remove a registry that is not a default")
          .syncingDb();

  public static final MethodSpec<PackageParams, PackageView> PACKAGE =
      MethodSpec.of(
          "marketplace.package",
          PackageParams.class,
          PackageView.class,
          "A package on a registry and what installing each version would do");

  public static final MethodSpec<Empty, Map<String, RegistryUpdates>> UPDATES =
      MethodSpec.of(
          "marketplace.updates",
          Empty.class,
          new com.fasterxml.jackson.core.type.TypeReference<Map<String, RegistryUpdates>>() {},
          "For every installed package, the best newer version each registry offers");
}
