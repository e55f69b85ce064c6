package dev.hearth.startd.http;

import dev.hearth.startd.continuation.Continuations;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /rest/rpc/<guid>}: hands the request body to the upload continuation of that guid and
 * answers 204 once it has taken all of it (rpc.md §3.4). An unknown, used or expired guid is 404;
 * no cookie is checked, the guid being the capability. What a page of another origin sends is
 * refused with 403 ({@link SameOrigin}) before the guid is looked at, so it cannot use one up.
 */
final class UploadRoute extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(UploadRoute.class);

  private final Continuations continuations;

  UploadRoute(Continuations continuations) {
    this.continuations = continuations;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Optional<String> refused = SameOrigin.refusal(request);
    if (refused.isPresent()) {
      Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, refused.get());
      return true;
    }
    String path = request.getHttpURI().getPath();
    String guid = path.substring(path.lastIndexOf('/') + 1);
    var claimed = continuations.claimUpload(guid);
    if (claimed.isEmpty()) {
      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      return true;
    }
    long length = request.getLength();
    try (InputStream body = Request.asInputStream(request)) {
      claimed
          .get()
          .job()
          .receive(body, length < 0 ? OptionalLong.empty() : OptionalLong.of(length));
    } catch (Exception e) {
      log.info("upload {} failed: {}", guid, e.getMessage());
      Response.writeError(
          request, response, callback, HttpStatus.BAD_REQUEST_400, String.valueOf(e.getMessage()));
      return true;
    }
    response.setStatus(HttpStatus.NO_CONTENT_204);
    callback.succeeded();
    return true;
  }
}
