package dev.hearth.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.api.RegistryApi;
import dev.hearth.cli.connect.Connection;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.Empty;
import dev.hearth.jsonrpc.RpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code start-cli registry}: a registry's methods, called on the registry ({@code -r URL}). */
@Command(
    addMethodSubcommands = false,
    name = "registry",
    description = "Talk to a package registry (-r URL)")
public final class RegistryCommand extends RegistryCall.Group {
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(
          Info.class,
          Index.class,
          Admin.class,
          RegistryPackageCommand.class,
          RegistryOsCommand.class,
          Db.class,
          Metrics.class);

  @Command(
      addMethodSubcommands = false,
      name = "info",
      description = "The registry's name, icon and categories")
  public static final class Info extends RegistryCall {
    public static final List<Class<?>> SUBCOMMANDS = List.of(SetName.class, SetIcon.class);

    @Override
    protected void run(RpcClient client) {
      print(client.call(RegistryApi.INFO, new Empty()));
    }
  }

  @Command(addMethodSubcommands = false, name = "set-name", description = "Rename the registry")
  public static final class SetName extends RegistryCall {
    @Parameters(index = "0", description = "The new name")
    String name;

    @Override
    protected void run(RpcClient client) {
      client.call(RegistryApi.SET_NAME, new RegistryApi.NameParams(name));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "set-icon",
      description = "Set the icon from an image file (png, svg, jpg, webp)")
  public static final class SetIcon extends RegistryCall {
    @Parameters(index = "0", description = "The image file")
    Path file;

    @Override
    protected void run(RpcClient client) throws Exception {
      String url =
          dev.hearth.s9pk.S9pk.imageDataUrl(
              file.getFileName().toString(), Files.readAllBytes(file));
      client.call(RegistryApi.SET_ICON, new RegistryApi.IconParams(url));
    }
  }

  @Command(addMethodSubcommands = false, name = "index", description = "The full index (signers)")
  public static final class Index extends RegistryCall {
    @Override
    protected void run(RpcClient client) {
      print(client.call(RegistryApi.INDEX, new Empty()));
    }
  }

  @Command(addMethodSubcommands = false, name = "admin", description = "Admins and signers")
  public static final class Admin extends RegistryCall.Group {
    public static final List<Class<?>> SUBCOMMANDS =
        List.of(AdminAdd.class, AdminRemove.class, AdminList.class, Signer.class);
  }

  @Command(addMethodSubcommands = false, name = "add", description = "Make a signer an admin")
  public static final class AdminAdd extends RegistryCall {
    @Parameters(index = "0", description = "The signer's id")
    String signer;

    @Override
    protected void run(RpcClient client) {
      client.call(RegistryApi.ADMIN_ADD, new RegistryApi.SignerIdParams(signer));
    }
  }

  @Command(addMethodSubcommands = false, name = "remove", description = "Remove an admin")
  public static final class AdminRemove extends RegistryCall {
    @Parameters(index = "0", description = "The signer's id")
    String signer;

    @Override
    protected void run(RpcClient client) {
      client.call(RegistryApi.ADMIN_REMOVE, new RegistryApi.SignerIdParams(signer));
    }
  }

  @Command(addMethodSubcommands = false, name = "list", description = "The admins' ids")
  public static final class AdminList extends RegistryCall {
    @Override
    protected void run(RpcClient client) {
      print(client.call(RegistryApi.ADMIN_LIST, new Empty()));
    }
  }

  @Command(addMethodSubcommands = false, name = "signer", description = "Signers")
  public static final class Signer extends RegistryCall.Group {
    public static final List<Class<?>> SUBCOMMANDS =
        List.of(SignerList.class, SignerAdd.class, SignerEdit.class, SignerRemove.class);
  }

  @Command(addMethodSubcommands = false, name = "list", description = "Every signer, by id")
  public static final class SignerList extends RegistryCall {
    @Override
    protected void run(RpcClient client) {
      print(client.call(RegistryApi.SIGNER_LIST, new Empty()));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "add",
      description = "Register a signer; prints its id")
  public static final class SignerAdd extends RegistryCall {
    @Option(names = "--name", required = true, description = "The signer's name")
    String name;

    @Option(names = "--contact", description = "How to reach them (repeatable)")
    List<String> contact = new ArrayList<>();

    @Option(
        names = "--key",
        required = true,
        description = "A PEM file of a public key they sign with (repeatable)")
    List<Path> keys = new ArrayList<>();

    @Override
    protected void run(RpcClient client) throws Exception {
      System.out.println(
          client.call(
              RegistryApi.SIGNER_ADD, new RegistryApi.AddSignerParams(name, contact, pems(keys))));
    }
  }

  @Command(addMethodSubcommands = false, name = "edit", description = "Edit a signer")
  public static final class SignerEdit extends RegistryCall {
    @Parameters(index = "0", description = "The signer's id")
    String id;

    @Option(names = "--set-name", description = "A new name")
    String setName;

    @Option(names = "--add-contact", description = "Repeatable")
    List<String> addContact = new ArrayList<>();

    @Option(names = "--remove-contact", description = "Repeatable")
    List<String> removeContact = new ArrayList<>();

    @Option(names = "--add-key", description = "A PEM public key file (repeatable)")
    List<Path> addKey = new ArrayList<>();

    @Option(names = "--remove-key", description = "A PEM public key file (repeatable)")
    List<Path> removeKey = new ArrayList<>();

    @Override
    protected void run(RpcClient client) throws Exception {
      client.call(
          RegistryApi.SIGNER_EDIT,
          new RegistryApi.EditSignerParams(
              id, setName, addContact, pems(addKey), removeContact, pems(removeKey)));
    }
  }

  @Command(addMethodSubcommands = false, name = "remove", description = "Remove a signer")
  public static final class SignerRemove extends RegistryCall {
    @Parameters(index = "0", description = "The signer's id")
    String id;

    @Override
    protected void run(RpcClient client) {
      client.call(RegistryApi.SIGNER_REMOVE, new RegistryApi.IdParams(id));
    }
  }

  @Command(addMethodSubcommands = false, name = "db", description = "The registry's database")
  public static final class Db extends RegistryCall.Group {
    public static final List<Class<?>> SUBCOMMANDS = List.of(DbDump.class, DbApply.class);
  }

  @Command(addMethodSubcommands = false, name = "dump", description = "The database, as JSON")
  public static final class DbDump extends RegistryCall {
    @Parameters(index = "0", arity = "0..1", description = "A JSON pointer into it")
    String pointer;

    @Override
    protected void run(RpcClient client) {
      print(client.call(RegistryApi.DB_DUMP, new RegistryApi.DumpParams(pointer)));
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "apply",
      description =
          "Apply a JSON Patch (RFC 6902) to the whole database; refused, changing"
              + " nothing, if the result is not a valid registry database")
  public static final class DbApply extends RegistryCall {
    @Parameters(
        index = "0",
        paramLabel = "PATCH_JSON",
        description = "The patch, e.g. '[{\"op\":\"replace\",…}]'")
    String patch;

    @Override
    protected void run(RpcClient client) {
      JsonNode json;
      try {
        json = Connection.json().readTree(patch);
      } catch (java.io.IOException e) {
        throw new StartException(
            ErrorKind.DESERIALIZATION, "the patch is not JSON: " + e.getMessage(), e);
      }
      client.call(RegistryApi.DB_APPLY, new RegistryApi.ApplyParams(json));
    }
  }

  @Command(addMethodSubcommands = false, name = "metrics", description = "Usage figures")
  public static final class Metrics extends RegistryCall.Group {
    public static final List<Class<?>> SUBCOMMANDS = List.of(Downloads.class);
  }

  @Command(
      addMethodSubcommands = false,
      name = "downloads",
      description = "Completed downloads per package and version")
  public static final class Downloads extends RegistryCall {
    @Option(names = "--package", description = "Only this package")
    String pkgId;

    @Override
    protected void run(RpcClient client) {
      print(
          client.call(
              RegistryApi.METRICS_DOWNLOADS,
              new RegistryApi.MetricsParams(null, null, pkgId, null)));
    }
  }

  static List<String> pems(List<Path> files) throws java.io.IOException {
    List<String> out = new ArrayList<>();
    for (Path f : files) {
      out.add(Files.readString(f));
    }
    return out;
  }
}
