package dev.hearth.startd.net.proxy;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLException;

/**
 * Server {@link SslContext}s (BoringSSL) per name set and ALPN choice, built from the {@link
 * CertificateSource}'s PEMs on a virtual thread. One fetch at a time per key: connections that
 * arrive meanwhile wait on the same future, without blocking their event loop. A context with a
 * third of its validity left is still served while its successor is fetched. {@link #clear} makes
 * every later connection wait for a fresh one; open connections keep the context they have.
 */
final class TlsContexts {
  /** TLS session cache entries per context (~ 200 bytes each): resumption for that many. */
  private static final long SESSION_CACHE_SIZE = 10_000;

  private static final Duration SESSION_TIMEOUT = Duration.ofHours(1);

  private final CertificateSource source;
  private final ExecutorService blocking;
  private final ConcurrentHashMap<Key, Entry> cache = new ConcurrentHashMap<>();

  /** {@code h2}: advertise ALPN h2 + http/1.1 (HTTP routes); otherwise no ALPN (TCP routes). */
  record Key(Set<String> names, boolean h2) {}

  private record Entry(CompletableFuture<Built> built, boolean renewing) {}

  private record Built(SslContext context, Instant renewAt) {}

  TlsContexts(CertificateSource source, ExecutorService blocking) {
    this.source = source;
    this.blocking = blocking;
  }

  /** The context for {@code key}; completes on a virtual thread when it had to be fetched. */
  CompletableFuture<SslContext> context(Key key, Instant now) {
    Entry e = cache.computeIfAbsent(key, k -> new Entry(fetch(k), false));
    CompletableFuture<Built> f = e.built();
    if (f.isDone() && !f.isCompletedExceptionally()) {
      Built b = f.join();
      if (!e.renewing() && now.isAfter(b.renewAt())) {
        var fresh = new Entry(f, true);
        if (cache.replace(key, e, fresh))
          fetch(key)
              .whenComplete((nb, err) -> {
                if (err == null) cache.replace(key, fresh, new Entry(completed(nb), false));
                else cache.replace(key, fresh, new Entry(f, false)); // retry next time
              });
      }
      return CompletableFuture.completedFuture(b.context());
    }
    if (f.isCompletedExceptionally()) {
      cache.remove(key, e); // the waiting connections are refused; the next one asks again
    }
    return f.thenApply(Built::context);
  }

  void clear() {
    cache.clear();
  }

  private static CompletableFuture<Built> completed(Built b) {
    return CompletableFuture.completedFuture(b);
  }

  private CompletableFuture<Built> fetch(Key key) {
    return CompletableFuture.supplyAsync(
        () -> build(key, source.certificate(key.names())), blocking);
  }

  private static Built build(Key key, Certificate cert) {
    try {
      var builder =
          SslContextBuilder.forServer(stream(cert.chainPem()), stream(cert.keyPem()))
              .sslProvider(SslProvider.OPENSSL)
              .protocols("TLSv1.3", "TLSv1.2")
              .sessionCacheSize(SESSION_CACHE_SIZE)
              .sessionTimeout(SESSION_TIMEOUT.toSeconds());
      if (key.h2())
        builder.applicationProtocolConfig(
            new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ApplicationProtocolNames.HTTP_2,
                ApplicationProtocolNames.HTTP_1_1));
      return new Built(builder.build(), renewAt(cert));
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalStateException("certificate for " + key.names() + " is unusable: " + e, e);
    }
  }

  /** notAfter minus a third of the leaf's validity. */
  private static Instant renewAt(Certificate cert) {
    try {
      var leaf =
          (X509Certificate)
              CertificateFactory.getInstance("X.509").generateCertificate(stream(cert.chainPem()));
      Instant from = leaf.getNotBefore().toInstant();
      Instant to = cert.notAfter();
      return to.minus(Duration.between(from, to).dividedBy(3));
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalArgumentException("chain PEM does not start with a certificate", e);
    }
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
