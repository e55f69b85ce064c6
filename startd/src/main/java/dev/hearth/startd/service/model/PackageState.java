package dev.hearth.startd.service.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.FullProgress;
import java.util.Objects;

/**
 * Where a package is in its life (patchdb.md §7.1 {@code stateInfo}, tagged by {@code state}): each
 * state carries what is true in it. {@code installing} and {@code restoring} have only the manifest
 * to be; {@code updating} has both; {@code installed} and {@code removing} the one in place. The
 * database says at every moment which of these is true, which is what lets a crash be recovered
 * ({@code Recovery}). Manifests stay JSON: they are the signed package's, shown as they are.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "state")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PackageState.Installing.class, name = "installing"),
  @JsonSubTypes.Type(value = PackageState.Restoring.class, name = "restoring"),
  @JsonSubTypes.Type(value = PackageState.Updating.class, name = "updating"),
  @JsonSubTypes.Type(value = PackageState.Installed.class, name = "installed"),
  @JsonSubTypes.Type(value = PackageState.Removing.class, name = "removing")
})
public sealed interface PackageState {
  /** The manifest being installed and how far that is. */
  record InstallingInfo(JsonNode newManifest, FullProgress progress) {
    public InstallingInfo {
      Objects.requireNonNull(newManifest, "newManifest");
      Objects.requireNonNull(progress, "progress");
    }

    public InstallingInfo withProgress(FullProgress p) {
      return new InstallingInfo(newManifest, p);
    }
  }

  record Installing(InstallingInfo installingInfo) implements PackageState {}

  record Restoring(InstallingInfo installingInfo) implements PackageState {}

  /** {@code s9pk}: the new archive, for clients to show. */
  record Updating(JsonNode manifest, String s9pk, InstallingInfo installingInfo)
      implements PackageState {}

  record Installed(JsonNode manifest) implements PackageState {}

  record Removing(JsonNode manifest) implements PackageState {}

  /** The manifest a client shows: the one in place, or the one being installed. */
  @JsonIgnore
  default JsonNode shownManifest() {
    return switch (this) {
      case Installing s -> s.installingInfo().newManifest();
      case Restoring s -> s.installingInfo().newManifest();
      case Updating s -> s.manifest();
      case Installed s -> s.manifest();
      case Removing s -> s.manifest();
    };
  }

  /** The version of {@link #shownManifest()}. */
  @JsonIgnore
  default String version() {
    return shownManifest().path("version").asText();
  }

  /** The wire tag: installing, restoring, updating, installed or removing. */
  @JsonIgnore
  default String tag() {
    return switch (this) {
      case Installing s -> "installing";
      case Restoring s -> "restoring";
      case Updating s -> "updating";
      case Installed s -> "installed";
      case Removing s -> "removing";
    };
  }

  /**
   * This state with the install's progress replaced; states without one are returned as they are.
   */
  default PackageState withProgress(FullProgress progress) {
    return switch (this) {
      case Installing s -> new Installing(s.installingInfo().withProgress(progress));
      case Restoring s -> new Restoring(s.installingInfo().withProgress(progress));
      case Updating s ->
          new Updating(s.manifest(), s.s9pk(), s.installingInfo().withProgress(progress));
      case Installed s -> s;
      case Removing s -> s;
    };
  }
}
