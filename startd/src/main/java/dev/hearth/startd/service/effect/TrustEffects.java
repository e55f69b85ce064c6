package dev.hearth.startd.service.effect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.error.ErrorKind;
import dev.hearth.error.StartException;
import dev.hearth.jsonrpc.RpcTree;
import dev.hearth.startd.cert.LocalCa;
import dev.hearth.startd.db.LocalCerts;
import dev.hearth.startd.db.PrivatePaths;
import dev.hearth.startd.db.PublicPaths;
import dev.hearth.startd.service.model.PackageId;
import dev.hearth.startd.service.model.PackagePaths;
import dev.hearth.startd.service.model.Plugin;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The effects that hand a package something of the server's that must be limited: certificates from
 * the local CA, the SMTP settings, and the URL plugin (container-runtime.md §2.7).
 */
final class TrustEffects {
  private final EffectHost host;
  private final CallingService self;
  private final PackageId id;

  /** The last certificate issued, reused while the same names are asked for. Guarded by this. */
  private LocalCa.@Nullable Issued issued;

  private List<String> issuedFor = List.of(); // guarded by this

  TrustEffects(EffectHost host, CallingService self) {
    this.host = host;
    this.self = self;
    this.id = self.packageId();
  }

  void bind(RpcTree.Builder tree) {
    tree.bind(Effects.GET_SSL_CERTIFICATE, (ctx, p) -> certificate(p).chainPem());
    tree.bind(Effects.GET_SSL_KEY, (ctx, p) -> certificate(p).keyPem());
    tree.bind(Effects.GET_SYSTEM_SMTP, (ctx, p) -> smtp(p));
    tree.bind(Effects.PLUGIN_URL_REGISTER, (ctx, p) -> registerUrlPlugin(p));
    tree.bind(Effects.PLUGIN_URL_EXPORT_URL, (ctx, p) -> pluginCheck());
    tree.bind(Effects.PLUGIN_URL_CLEAR_URLS, (ctx, p) -> pluginCheck());
  }

  /**
   * A certificate from the local CA, only for names that are the package's own: {@code
   * <id>.startos} or {@code .embassy} and its container's address. Not the host's addresses
   * (loopback, the bridge, the LAN), which upstream allows: a certificate the admin's browser
   * trusts for those would let a package pass for the server itself (issue 10). A service reached
   * on the host's addresses gets TLS from the server's proxy instead.
   */
  private LocalCa.Issued certificate(NetworkParams.Certificate p) {
    Set<String> allowed = new HashSet<>();
    allowed.add(id + ".startos");
    allowed.add(id + ".embassy");
    allowed.add(self.ip().getHostAddress());
    for (String n : p.hostnames()) {
      if (!allowed.contains(n)) {
        throw new StartException(ErrorKind.NOT_FOUND, id + " may not have a certificate for " + n);
      }
    }
    LocalCerts certs =
        host.read(PrivatePaths.LOCAL_CERTS)
            .orElseThrow(
                () -> new StartException(ErrorKind.UNINITIALIZED, "the server has no CA yet"));
    synchronized (this) {
      if (issued == null || !issuedFor.equals(p.hostnames())) {
        issued = LocalCa.issue(certs, p.hostnames(), new SecureRandom(), host.clock().instant());
        issuedFor = p.hostnames();
      }
      return issued;
    }
  }

  private @Nullable JsonNode smtp(ServiceParams.Watched p) {
    Watches.watch(host, self, p.callback(), PublicPaths.SMTP.pointer());
    return host.read(PublicPaths.SMTP).filter(s -> !s.isNull()).orElse(null);
  }

  private @Nullable Void registerUrlPlugin(NetworkParams.RegisterUrlPlugin p) {
    pluginCheck();
    var plugin = new Plugin(new Plugin.Url(p.tableAction()));
    host.mutateAs(
        id,
        tx -> {
          tx.put(PackagePaths.plugin(id), plugin);
          return null;
        });
    return null;
  }

  /** URL plugin effects are for packages that declare the {@code url} plugin. */
  private @Nullable Void pluginCheck() {
    if (!self.manifest().plugins().contains("url")) {
      throw new StartException(ErrorKind.AUTHORIZATION, id + " does not declare the url plugin");
    }
    return null;
  }
}
