package dev.hearth.cli.registry;

import dev.hearth.api.RegistryApi;
import dev.hearth.api.RegistryApi.OsImage;
import dev.hearth.cli.GlobalOptions;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code start-cli registry os}: the OS releases of a registry and their images. */
@Command(addMethodSubcommands = false, name = "os", description = "OS releases and their images")
public final class RegistryOsCommand extends RegistryCall.Group {
  public static final List<Class<?>> SUBCOMMANDS = List.of(Index.class, Version.class, Asset.class);

  @Command(addMethodSubcommands = false, name = "index", description = "Every OS release")
  public static final class Index extends RegistryCall {
    @Override
    protected void run(RpcClient client) {
      print(client.call(RegistryApi.OS_INDEX, new Empty()));
    }
  }

  @Command(addMethodSubcommands = false, name = "version", description = "OS releases")
  public static final class Version extends RegistryCall.Group {
    public static final List<Class<?>> SUBCOMMANDS =
        List.of(VersionAdd.class, VersionRemove.class, VersionGet.class, VersionSigner.class);
  }

  @Command(
      addMethodSubcommands = false,
      name = "add",
      description = "Add an OS release, or change its headline, notes and source range (admin)")
  public static final class VersionAdd extends RegistryCall {
    @Parameters(index = "0", description = "The version, such as 0.4.0")
    String version;

    @Option(names = "--headline", required = true, description = "One line about it")
    String headline;

    @Option(names = "--release-notes", required = true, description = "Its release notes")
    String releaseNotes;

    @Option(
        names = "--source-version",
        required = true,
        description = "The range of versions that may update to it, such as '>=0.3.5 <0.4.0'")
    String sourceVersion;

    @Override
    protected void run(RpcClient client) {
      client.call(
          RegistryApi.OS_VERSION_ADD,
          new RegistryApi.OsVersionAddParams(version, headline, releaseNotes, sourceVersion));
    }
  }

  @Command(addMethodSubcommands = false, name = "remove", description = "Remove an OS release")
  public static final class VersionRemove extends RegistryCall {
    @Parameters(index = "0", description = "The version")
    String version;

    @Override
    protected void run(RpcClient client) {
      client.call(RegistryApi.OS_VERSION_REMOVE, new RegistryApi.OsVersionParams(version));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "get",
      description = "The OS releases a server may update to")
  public static final class VersionGet extends RegistryCall {
    @Option(names = "--source-version", description = "The version the server runs")
    String sourceVersion;

    @Option(names = "--target-version", description = "A version range (default *)")
    String targetVersion;

    @Option(names = "--server-id", description = "The server's id")
    String serverId;

    @Option(names = "--platform", description = "The server's platform, such as x86_64")
    String platform;

    @Override
    protected void run(RpcClient client) {
      print(
          client.call(
              RegistryApi.OS_VERSION_GET,
              new RegistryApi.OsVersionGetParams(
                  sourceVersion, targetVersion, serverId, platform)));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "signer",
      description = "Who may publish an OS release's images")
  public static final class VersionSigner extends RegistryCall.Group {
    public static final List<Class<?>> SUBCOMMANDS =
        List.of(SignerAdd.class, SignerRemove.class, SignerList.class);
  }

  /** The two positionals of authorizing a signer for a release and of withdrawing it. */
  abstract static class SignerCall extends RegistryCall {
    @Parameters(index = "0", description = "The version")
    String version;

    @Parameters(index = "1", description = "The signer's id")
    String signer;
  }

  @Command(
      addMethodSubcommands = false,
      name = "add",
      description = "Authorize a signer for an OS release (admin)")
  public static final class SignerAdd extends SignerCall {
    @Override
    protected void run(RpcClient client) {
      client.call(
          RegistryApi.OS_VERSION_SIGNER_ADD,
          new RegistryApi.OsVersionSignerParams(version, signer));
    }
  }

  @Command(addMethodSubcommands = false, name = "remove", description = "Withdraw an authorization")
  public static final class SignerRemove extends SignerCall {
    @Override
    protected void run(RpcClient client) {
      client.call(
          RegistryApi.OS_VERSION_SIGNER_REMOVE,
          new RegistryApi.OsVersionSignerParams(version, signer));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "list",
      description = "The signers authorized for an OS release, by id")
  public static final class SignerList extends RegistryCall {
    @Parameters(index = "0", description = "The version")
    String version;

    @Override
    protected void run(RpcClient client) {
      print(
          client.call(
              RegistryApi.OS_VERSION_SIGNER_LIST, new RegistryApi.OsVersionParams(version)));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "asset",
      description = "An OS release's images (iso, img, squashfs) by platform")
  public static final class Asset extends RegistryCall.Group {
    public static final List<Class<?>> SUBCOMMANDS =
        List.of(AssetAdd.class, AssetSign.class, AssetGet.class, AssetRemove.class);
  }

  /** The three positionals every asset command starts with. */
  abstract static class AssetCall extends RegistryCall {
    @Parameters(index = "0", paramLabel = "KIND", description = "iso, img or squashfs")
    String kind;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The OS version")
    String version;

    @Parameters(index = "2", paramLabel = "PLATFORM", description = "Such as x86_64")
    String platform;

    OsImage image() {
      try {
        return OsImage.parse(kind);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "add",
      description =
          "Publish an image served at --url: the file's BLAKE3 commitment, signed with the"
              + " developer key, once the URL is checked to serve the file")
  public static final class AssetAdd extends AssetCall {
    @Parameters(index = "3", paramLabel = "FILE", description = "The image file")
    Path file;

    @Option(names = "--url", required = true, description = "Where servers download it")
    String url;

    @Override
    protected void run(RpcClient client) throws Exception {
      OsImage image = image();
      OsImages.Signed s = OsImages.sign(file, GlobalOptions.of(spec).developerKey());
      OsImages.verifyUrl(url, s.commitment());
      client.call(
          image.add,
          new RegistryApi.OsAssetAddParams(version, platform, url, s.signature(), s.commitment()));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "sign",
      description = "Add your signature (the developer key's) to a published image, from its file")
  public static final class AssetSign extends AssetCall {
    @Parameters(index = "3", paramLabel = "FILE", description = "The image file")
    Path file;

    @Override
    protected void run(RpcClient client) throws Exception {
      OsImage image = image();
      OsImages.Signed s = OsImages.sign(file, GlobalOptions.of(spec).developerKey());
      client.call(image.sign, new RegistryApi.OsAssetSignParams(version, platform, s.signature()));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "get",
      description = "An image's URLs, commitment and signatures")
  public static final class AssetGet extends AssetCall {
    @Override
    protected void run(RpcClient client) {
      print(client.call(image().get, new RegistryApi.OsAssetParams(version, platform)));
    }
  }

  @Command(addMethodSubcommands = false, name = "remove", description = "Remove an image")
  public static final class AssetRemove extends AssetCall {
    @Override
    protected void run(RpcClient client) {
      client.call(image().remove, new RegistryApi.OsAssetParams(version, platform));
    }
  }
}
