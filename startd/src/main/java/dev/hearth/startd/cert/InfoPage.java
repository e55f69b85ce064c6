package dev.hearth.startd.cert;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code StartOS-info.html}: the page a person saves at the end of setup. It names the server's
 * address and carries its root CA, with how to trust it, so that the address opens over HTTPS
 * without warnings.
 */
public final class InfoPage {
  private InfoPage() {}

  public static String render(String name, String hostname, String rootCaPem, String fingerprint) {
    String address = hostname + ".local";
    String href =
        "data:application/x-x509-ca-cert;base64,"
            + Base64.getEncoder().encodeToString(rootCaPem.getBytes(StandardCharsets.US_ASCII));
    return """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>%1$s — server information</title>
    <style>body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.5}
    code{background:#eee;padding:.1em .3em}</style></head><body>
    <h1>%1$s</h1>
    <p>Your server's address on your local network is
    <a href="https://%2$s">https://%2$s</a>.</p>
    <h2>Trust your server's certificate</h2>
    <p>Your server signs its own certificates with a root certificate that only it holds. Install
    that root on each device you use to reach the server, and mark it trusted for websites:</p>
    <p><a download="%2$s.crt" href="%3$s">Download the root certificate</a></p>
    <p>Its SHA-256 fingerprint is <code>%4$s</code>. Check that your device shows the same
    before you trust it.</p>
    <pre>%5$s</pre>
    </body></html>
    """
        .formatted(escape(name), escape(address), href, fingerprint, escape(rootCaPem));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
