package dev.hearth.cli.registry;

import dev.hearth.api.RegistryApi;
import dev.hearth.cli.GlobalOptions;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-cli registry package}: the packages of a registry. */
@Command(addMethodSubcommands = false, name = "package", description = "Packages")
public final class RegistryPackageCommand extends RegistryCall.Group {
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(
          Index.class,
          Get.class,
          Add.class,
          AddMirror.class,
          Remove.class,
          RemoveMirror.class,
          PackageSigner.class,
          Category.class);

  @Command(addMethodSubcommands = false, name = "index", description = "Every package and version")
  public static final class Index extends RegistryCall {
    @Override
    protected void run(RpcClient client) {
      print(client.call(RegistryApi.PACKAGE_INDEX, new Empty()));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "get",
      description = "The best version of each flavor of a package (of every package without id)")
  public static final class Get extends RegistryCall {
    @Parameters(index = "0", arity = "0..1", description = "The package id")
    String id;

    @Option(names = "--target-version", description = "A version range (default *)")
    String targetVersion;

    @Option(names = "--source-version", description = "The version installed")
    String sourceVersion;

    @Option(names = "--other-versions", description = "none, short or full")
    String otherVersions;

    @Override
    protected void run(RpcClient client) {
      print(
          client.call(
              RegistryApi.PACKAGE_GET,
              new RegistryApi.GetPackageParams(id, targetVersion, sourceVersion, otherVersions)));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "add",
      description =
          "Publish a package file: uploaded, or fetched by the registry from --url; signed with"
              + " the developer key")
  public static final class Add extends RegistryCall {
    @Parameters(index = "0", description = "The .s9pk file")
    Path file;

    @Option(names = "--url", description = "Where the registry fetches it (repeatable)")
    List<String> urls = new ArrayList<>();

    @Override
    protected void run(RpcClient client) throws Exception {
      print(Publishing.publish(client, file, GlobalOptions.of(spec).developerKey(), urls));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "add-mirror",
      description = "Add a URL a published package file is also served at")
  public static final class AddMirror extends RegistryCall {
    @Parameters(index = "0", description = "The .s9pk file")
    Path file;

    @Parameters(index = "1", description = "The URL")
    String url;

    @Override
    protected void run(RpcClient client) throws Exception {
      var s = Publishing.sign(file, GlobalOptions.of(spec).developerKey());
      client.call(
          RegistryApi.PACKAGE_ADD_MIRROR,
          new RegistryApi.MirrorParams(url, s.commitment(), s.signature()));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "remove",
      description = "Remove a version (or, as an admin, a whole package)")
  public static final class Remove extends RegistryCall {
    @Parameters(index = "0", description = "The package id")
    String id;

    @Parameters(index = "1", arity = "0..1", description = "The version")
    String version;

    @Option(names = "--sighash", description = "Only the file with this root sighash")
    String sighash;

    @Override
    protected void run(RpcClient client) {
      client.call(
          RegistryApi.PACKAGE_REMOVE,
          new RegistryApi.RemovePackageParams(id, version, sighash, null));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "remove-mirror",
      description = "Remove a mirror URL")
  public static final class RemoveMirror extends RegistryCall {
    @Parameters(index = "0", description = "The package id")
    String id;

    @Parameters(index = "1", description = "The version")
    String version;

    @Parameters(index = "2", description = "The URL")
    String url;

    @Override
    protected void run(RpcClient client) {
      client.call(
          RegistryApi.PACKAGE_REMOVE_MIRROR, new RegistryApi.RemoveMirrorParams(id, version, url));
    }
  }

  @Command(addMethodSubcommands = false, name = "signer", description = "Who may publish a package")
  public static final class PackageSigner extends RegistryCall.Group {
    public static final List<Class<?>> SUBCOMMANDS =
        List.of(SignerAdd.class, SignerRemove.class, SignerList.class);
  }

  @Command(
      addMethodSubcommands = false,
      name = "add",
      description = "Authorize a signer for versions of a package")
  public static final class SignerAdd extends RegistryCall {
    @Parameters(index = "0", description = "The package id")
    String id;

    @Parameters(index = "1", description = "The signer's id")
    String signer;

    @Option(names = "--versions", description = "A version range (default *)")
    String versions;

    @Option(names = "--merge", description = "Add the range to the one the signer has")
    boolean merge;

    @Override
    protected void run(RpcClient client) {
      client.call(
          RegistryApi.PACKAGE_SIGNER_ADD,
          new RegistryApi.PackageSignerParams(id, signer, versions, merge));
    }
  }

  @Command(addMethodSubcommands = false, name = "remove", description = "Withdraw an authorization")
  public static final class SignerRemove extends RegistryCall {
    @Parameters(index = "0", description = "The package id")
    String id;

    @Parameters(index = "1", description = "The signer's id")
    String signer;

    @Override
    protected void run(RpcClient client) {
      client.call(
          RegistryApi.PACKAGE_SIGNER_REMOVE, new RegistryApi.PackageSignerRemoveParams(id, signer));
    }
  }

  @Command(addMethodSubcommands = false, name = "list", description = "Signer id → version range")
  public static final class SignerList extends RegistryCall {
    @Parameters(index = "0", description = "The package id")
    String id;

    @Override
    protected void run(RpcClient client) {
      print(client.call(RegistryApi.PACKAGE_SIGNER_LIST, new RegistryApi.IdParams(id)));
    }
  }

  @Command(addMethodSubcommands = false, name = "category", description = "Categories")
  public static final class Category extends RegistryCall.Group {
    public static final List<Class<?>> SUBCOMMANDS =
        List.of(
            CategoryAdd.class,
            CategoryRemove.class,
            CategoryAddPackage.class,
            CategoryRemovePackage.class,
            CategoryList.class);
  }

  @Command(addMethodSubcommands = false, name = "add", description = "Add a category")
  public static final class CategoryAdd extends RegistryCall {
    @Parameters(index = "0", description = "Its id")
    String id;

    @Parameters(index = "1", description = "Its name")
    String name;

    @Override
    protected void run(RpcClient client) {
      client.call(
          RegistryApi.CATEGORY_ADD,
          new RegistryApi.CategoryAddParams(
              id, com.fasterxml.jackson.databind.node.TextNode.valueOf(name)));
    }
  }

  @Command(addMethodSubcommands = false, name = "remove", description = "Remove a category")
  public static final class CategoryRemove extends RegistryCall {
    @Parameters(index = "0", description = "Its id")
    String id;

    @Override
    protected void run(RpcClient client) {
      client.call(RegistryApi.CATEGORY_REMOVE, new RegistryApi.IdParams(id));
    }
  }

  @Command(addMethodSubcommands = false, name = "add-package", description = "Put a package in it")
  public static final class CategoryAddPackage extends RegistryCall {
    @Parameters(index = "0", description = "The category's id")
    String id;

    @Parameters(index = "1", description = "The package id")
    String pkg;

    @Override
    protected void run(RpcClient client) {
      client.call(RegistryApi.CATEGORY_ADD_PACKAGE, new RegistryApi.CategoryPackageParams(id, pkg));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "remove-package",
      description = "Take a package out of it")
  public static final class CategoryRemovePackage extends RegistryCall {
    @Parameters(index = "0", description = "The category's id")
    String id;

    @Parameters(index = "1", description = "The package id")
    String pkg;

    @Override
    protected void run(RpcClient client) {
      client.call(
          RegistryApi.CATEGORY_REMOVE_PACKAGE, new RegistryApi.CategoryPackageParams(id, pkg));
    }
  }

  @Command(addMethodSubcommands = false, name = "list", description = "The categories")
  public static final class CategoryList extends RegistryCall {
    @Override
    protected void run(RpcClient client) {
      print(client.call(RegistryApi.CATEGORY_LIST, new Empty()));
    }
  }
}
