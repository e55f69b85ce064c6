package dev.hearth.startd.net;

import dev.hearth.startd.service.model.BindInfo;
import dev.hearth.startd.service.model.Host;
import dev.hearth.startd.service.model.ServiceInterface;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The server's own UI as a host ({@code serverInfo.network.host}), so its addresses are listed and
 * turned on or off as a service's are: one binding on internal port 80, reached over TLS on {@code
 * tlsPort} and in plain HTTP on {@code httpPort}.
 */
public record ServerHost(int httpPort, @Nullable Integer tlsPort) {
  public static final int INTERNAL_PORT = 80;
  public static final String INTERFACE_ID = "main";

  /** The host as it must be now, keeping the user's toggles of {@code current}. */
  Host host(Host current) {
    BindInfo old = current.bindings().get(INTERNAL_PORT);
    var options =
        new BindInfo.Options(
            INTERNAL_PORT,
            new BindInfo.AddSsl(tlsPort == null ? 443 : tlsPort, false, null, null, null),
            null);
    var net = new BindInfo.Net(httpPort, tlsPort);
    var addresses = old == null ? new BindInfo.Addresses(null, null, null, null) : old.addresses();
    var ui =
        new ServiceInterface(
            INTERFACE_ID,
            "User Interface",
            "The server's own web interface",
            false,
            new ServiceInterface.AddressInfo(null, "", INTERNAL_PORT, "http", "https", ""),
            ServiceInterface.Type.UI);
    var binding = new BindInfo(true, options, net, addresses, Map.of(INTERFACE_ID, ui));
    return current.withBinding(INTERNAL_PORT, binding);
  }
}
