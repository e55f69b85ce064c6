package dev.hearth.cli.registry;

import dev.hearth.cli.GlobalOptions;
import dev.hearth.cli.connect.CliConfig;
import dev.hearth.cli.connect.Connection;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcClient;
import dev.hearth.s9pk.sign.DeveloperKey;
import dev.hearth.s9pk.sign.RequestSignature;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A client of the registry a command line names: {@code -r}, else the config's {@code registry};
 * every call signed (rpc.md §2.4) with the developer key, when there is one, for the registry's
 * host name ({@code --registry-hostname}, else the config's, else the URL's host).
 */
public final class RegistryConnection {
  private RegistryConnection() {}

  /** The registry's URL. */
  public static URI url(CommandSpec spec) {
    GlobalOptions g = GlobalOptions.of(spec);
    CliConfig config = CliConfig.load(g.config(), home());
    String url = g.registry() != null ? g.registry() : config.get("registry");
    if (url == null) {
      throw new StartException(
          ErrorKind.INVALID_REQUEST,
          "which registry? give -r/--registry URL (or `registry: URL` in the config)");
    }
    return URI.create(url);
  }

  public static RpcClient client(CommandSpec spec) {
    GlobalOptions g = GlobalOptions.of(spec);
    URI url = url(spec);
    CliConfig config = CliConfig.load(g.config(), home());
    String host =
        g.registryHostname() != null
            ? g.registryHostname()
            : Optional.ofNullable(config.get("registry-hostname")).orElse(url.getHost());
    RpcClient client = new RpcClient(url, Connection::json, RpcClient::defaultTls, null);
    client.setRpcPath("/rpc/v0");
    Path keyFile = g.developerKeyPath();
    if (Files.exists(keyFile)) {
      DeveloperKey key = DeveloperKey.read(keyFile);
      SecureRandom random = new SecureRandom();
      client.setBodyHeader(body ->
          new String[] {
            RequestSignature.HEADER,
            RequestSignature.sign(
                    key, host, body, System.currentTimeMillis() / 1000, random.nextLong())
                .header()
          });
    }
    return client;
  }

  private static Path home() {
    return Path.of(System.getProperty("user.home"));
  }
}
